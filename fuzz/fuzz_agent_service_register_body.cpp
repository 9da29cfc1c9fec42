// libFuzzer target: a registration's Connect parts through the dev agent, on any bytes as the
// body of PUT /v1/agent/service/register (decode_service_definition, Consul's NodeService
// rules, the sidecar expanded and given a port and its checks) and of PUT /v1/catalog/register
// (decode_catalog_register and the same rules). A refusal is a body_decode_error or an
// http_error with a message, nothing else; every proxy that decodes renders, in both of
// Consul's forms, to JSON that decodes back to the same proxy.
#include "refuses_cleanly.hpp"

#include "dev_agent/endpoints/decode.hpp"
#include "dev_agent/endpoints/render.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/local/proxy_rules.hpp"
#include "dev_agent/local/sidecar.hpp"

#include <boost/json/serialize.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <utility>

namespace {
using namespace coconsul::dev;
using coconsul::fuzz::fail;
using coconsul::fuzz::refuses_cleanly;

// What the catalog and agent endpoints write of a proxy decodes back to it: the two forms leave
// out different empty members, and decoding restores each as empty. The agent's form (Consul's
// ToAPI copy) does not carry an upstream's CentrallyConfigured.
void proxy_round_trips(const proxy_record& p) {
  proxy_record api = p;
  for (auto& u : api.upstreams) u.centrally_configured = false;
  const std::pair<boost::json::object, const proxy_record*> forms[] = {{render_proxy(p), &p},
                                                                       {render_agent_proxy(p), &api}};
  for (const auto& [rendered, expected] : forms) {
    proxy_record back;
    try {
      back = decode_proxy(rendered);
    } catch (const std::exception& e) {
      fail("a rendered proxy does not decode", e.what());
    }
    if (!(back == *expected)) fail("a rendered proxy decodes to another", boost::json::serialize(rendered));
  }
}

// Consul's rules over a service; every text they give is a sentence.
void rules_hold(const service_record& s, const nested_sidecar& nested) {
  for (const auto& why : connect_rule_errors(s, nested))
    if (why.empty()) fail("an empty rule text", s.id);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  boost::json::value v;
  bool parsed = false;
  refuses_cleanly("parse_body", [&] {
    v = parse_body(body);
    parsed = true;
  });
  if (!parsed) return 0;
  refuses_cleanly("agent register", [&] {
    service_definition def = decode_service_definition(v);
    service_record& s = def.service;
    proxy_round_trips(s.proxy);
    nested_sidecar nested;
    if (def.sidecar) nested = {true, !def.sidecar->service.id.empty(), def.sidecar->sidecar != nullptr};
    if (s.id.empty()) s.id = s.name;
    rules_hold(s, nested);
    if (!def.sidecar) return;
    proxy_round_trips(def.sidecar->service.proxy);
    sidecar_registration sc;
    sc.service = sidecar_from_parent(s, def.sidecar->service);
    if (sc.service.id != s.id + sidecar_suffix) fail("a sidecar's ID is not its parent's", sc.service.id);
    if (sc.service.proxy.destination_service_id != s.id && def.sidecar->service.proxy.destination_service_id.empty())
      fail("a sidecar's destination is not its parent", sc.service.proxy.destination_service_id);
    // Consul's default range, on an agent with no other service: a port or the 400.
    assign_sidecar_port(sc, {}, 21000, 21255);
    if (sc.service.port < 1) fail("a sidecar without a port", sc.service.id);
    rules_hold(sc.service, {});
    proxy_round_trips(sc.service.proxy);
  });
  refuses_cleanly("catalog register", [&] {
    catalog_register r = decode_catalog_register(v);
    if (!r.service) return;
    proxy_round_trips(r.service->proxy);
    rules_hold(*r.service, {});
  });
  return 0;
}
