// POST /v1/agent/connect/authorize: may the client certificate's service connect to Target?
// As Consul's AgentConnectAuthorize and ConnectAuthorize (agent/agent_endpoint.go,
// agent/connect_auth.go): the URI must be a SPIFFE service ID, the caller needs service:write on
// Target, the first intention to Target covering the URI's service decides (an L7 one denies:
// there is no request to judge), else the ACL default. The decision is config_entries/intentions.

#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/endpoints/intentions_common.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <boost/beast/core/string.hpp>

#include <cctype>
#include <initializer_list>
#include <string>
#include <vector>

namespace coconsul::dev {
namespace json = boost::json;
namespace ce = config_entries;

namespace {

// connect.ParseCertURI, as far as authorize needs it: a service ID, another kind of SPIFFE ID,
// or not a Connect identifier at all.
struct cert_uri {
  enum class kind { invalid, service, other } what = kind::invalid;
  std::string ns, service;
};

// Go's url.PathUnescape of one segment; false when an escape is malformed.
bool unescape(std::string_view in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size() || !std::isxdigit(static_cast<unsigned char>(in[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(in[i + 2])))
      return false;
    out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
    i += 2;
  }
  return true;
}

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;  // after the leading '/'
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

cert_uri parse_cert_uri(std::string_view text) {
  cert_uri out;
  auto u = boost::urls::parse_uri_reference(text);
  if (!u || !boost::beast::iequals(u->scheme(), "spiffe")) return out;
  std::string_view path = u->encoded_path();
  if (path.empty()) {
    // The signing ID: spiffe://<cluster>.<domain>.
    if (u->encoded_host().find('.') != std::string_view::npos && u->encoded_host().find('.') > 0) out.what = cert_uri::kind::other;
    return out;
  }
  auto seg = segments(path);
  auto nonempty = [&](std::initializer_list<std::size_t> idx) {
    for (auto i : idx)
      if (seg[i].empty()) return false;
    return true;
  };
  // /ns/<ns>/dc/<dc>/svc/<service>, optionally after /ap/<partition>.
  std::size_t base = seg.size() == 8 && seg[0] == "ap" && !seg[1].empty() ? 2 : 0;
  if (seg.size() == base + 6 && seg[base] == "ns" && seg[base + 2] == "dc" && seg[base + 4] == "svc" &&
      nonempty({base + 1, base + 3, base + 5})) {
    std::string ns, svc;
    if (!unescape(seg[base + 1], ns) || !unescape(seg[base + 5], svc)) return out;
    out.what = cert_uri::kind::service;
    out.ns = std::move(ns);
    out.service = std::move(svc);
    return out;
  }
  // The agent, server and mesh gateway IDs are Connect identifiers, not services.
  base = seg.size() >= 2 && seg[0] == "ap" && !seg[1].empty() ? 2 : 0;
  bool agent = seg.size() == base + 6 && seg[base] == "agent" && seg[base + 1] == "client" && seg[base + 2] == "dc" &&
               seg[base + 4] == "id" && nonempty({base + 3, base + 5});
  bool gateway = seg.size() == base + 4 && seg[base] == "gateway" && seg[base + 1] == "mesh" && seg[base + 2] == "dc" &&
                 nonempty({base + 3});
  bool server = base == 0 && seg.size() == 4 && seg[0] == "agent" && seg[1] == "server" && seg[2] == "dc" &&
                nonempty({3});
  if (agent || gateway || server) out.what = cert_uri::kind::other;
  return out;
}

http_response authorize(endpoint_context& c, http_request& req) {
  std::string target, client_uri, client_serial;
  try {
    json::value v = parse_body(req.body);
    decode_object(v, json_context{"ConnectAuthorizeRequest", ""},
                  {field("Target", target), field("ClientCertURI", client_uri),
                   field("ClientCertSerial", client_serial)});
  } catch (const body_decode_error& e) {
    // The boundary where Go's decoding error becomes the answer.
    throw_bad_request(std::string("Request decode failed: ") + e.what());
  }
  if (target.empty()) throw_bad_request("Target service must be specified");
  cert_uri uri = parse_cert_uri(client_uri);
  if (uri.what == cert_uri::kind::invalid) throw_bad_request("ClientCertURI not a valid Connect identifier");
  if (uri.what != cert_uri::kind::service) throw_bad_request("ClientCertURI not a valid Service identifier");
  c.caller().require(c.caller().authz().service_write(target));
  // The trust domain is deliberately not compared with ours (as Consul).
  auto matches = ce::match(stored_intentions(c.config_entries), ce::match_type::destination, target);
  ce::authorize_result r = ce::authorize(matches, uri.ns, uri.service, default_intention_allow(c));
  json::object o;
  o["Authorized"] = r.authorized;
  o["Reason"] = r.reason;
  return json_response(o);
}

}  // namespace

void add_connect_authorize_routes(route_table& r) {
  r.add("/v1/agent/connect/authorize", {"POST"}, &immediate<authorize>);
}

}  // namespace coconsul::dev
