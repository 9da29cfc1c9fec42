// The store's records as Consul's JSON (see render.hpp).

#include "dev_agent/endpoints/render.hpp"

#include "core/base64.hpp"

#include <coconsul/duration.hpp>

namespace coconsul::dev {
namespace json = boost::json;

namespace {
std::string duration_text(std::chrono::nanoseconds d) {
  return d.count() == 0 ? std::string() : format_duration(d);
}

json::object tagged_service_addresses(const std::map<std::string, service_tagged_address>& m) {
  json::object o;
  for (const auto& [k, a] : m) {
    json::object e;
    e["Address"] = a.address;
    e["Port"] = a.port;
    o[k] = std::move(e);
  }
  return o;
}

json::object weights(const service_record& s) {
  json::object w;
  w["Passing"] = s.weight_passing;
  w["Warning"] = s.weight_warning;
  return w;
}

}  // namespace

json::array render_strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::object render_string_map(const std::map<std::string, std::string>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

json::object render_node(const node_record& n) {
  json::object o;
  o["ID"] = n.id;
  o["Node"] = n.name;
  o["Address"] = n.address;
  o["Datacenter"] = n.datacenter;
  o["TaggedAddresses"] = render_string_map(n.tagged_addresses);
  o["Meta"] = render_string_map(n.meta);
  o["CreateIndex"] = n.create_index;
  o["ModifyIndex"] = n.modify_index;
  return o;
}

json::object render_service_node(const node_record* n, const service_record& s) {
  json::object o;
  o["ID"] = n ? n->id : "";
  o["Node"] = s.node;
  o["Address"] = n ? n->address : "";
  o["Datacenter"] = n ? n->datacenter : "";
  o["TaggedAddresses"] = n ? json::value(render_string_map(n->tagged_addresses)) : json::value(nullptr);
  o["NodeMeta"] = n ? json::value(render_string_map(n->meta)) : json::value(nullptr);
  o["ServiceKind"] = s.kind;
  o["ServiceID"] = s.id;
  o["ServiceName"] = s.name;
  o["ServiceTags"] = render_strings(s.tags);
  o["ServiceAddress"] = s.address;
  if (!s.tagged_addresses.empty()) o["ServiceTaggedAddresses"] = tagged_service_addresses(s.tagged_addresses);
  o["ServiceWeights"] = weights(s);
  o["ServiceMeta"] = render_string_map(s.meta);
  o["ServicePort"] = s.port;
  if (!s.socket_path.empty()) o["ServiceSocketPath"] = s.socket_path;
  o["ServiceEnableTagOverride"] = s.enable_tag_override;
  o["ServiceProxy"] = render_proxy(s.proxy);
  o["ServiceConnect"] = render_connect(s);
  o["CreateIndex"] = s.create_index;
  o["ModifyIndex"] = s.modify_index;
  return o;
}

json::object render_node_service(const service_record& s) {
  json::object o;
  if (!s.kind.empty()) o["Kind"] = s.kind;
  o["ID"] = s.id;
  o["Service"] = s.name;
  o["Tags"] = render_strings(s.tags);
  o["Address"] = s.address;
  if (!s.tagged_addresses.empty()) o["TaggedAddresses"] = tagged_service_addresses(s.tagged_addresses);
  o["Meta"] = render_string_map(s.meta);
  o["Port"] = s.port;
  if (!s.socket_path.empty()) o["SocketPath"] = s.socket_path;
  o["Weights"] = weights(s);
  o["EnableTagOverride"] = s.enable_tag_override;
  o["Proxy"] = render_proxy(s.proxy);
  o["Connect"] = render_connect(s);
  o["CreateIndex"] = s.create_index;
  o["ModifyIndex"] = s.modify_index;
  return o;
}

json::object render_agent_service(const service_record& s, const std::string& datacenter) {
  json::object o;
  if (!s.kind.empty()) o["Kind"] = s.kind;
  o["ID"] = s.id;
  o["Service"] = s.name;
  o["Tags"] = render_strings(s.tags);
  o["Meta"] = render_string_map(s.meta);
  o["Port"] = s.port;
  o["Address"] = s.address;
  if (!s.socket_path.empty()) o["SocketPath"] = s.socket_path;
  if (!s.tagged_addresses.empty()) o["TaggedAddresses"] = tagged_service_addresses(s.tagged_addresses);
  o["Weights"] = weights(s);
  o["EnableTagOverride"] = s.enable_tag_override;
  if (has_proxy(s)) o["Proxy"] = render_agent_proxy(s.proxy);
  if (s.connect_native) o["Connect"] = render_connect(s);
  o["Datacenter"] = datacenter;
  return o;
}

json::object render_check_definition(const check_definition& d) {
  json::object o;
  if (!d.http.empty()) o["HTTP"] = d.http;
  if (!d.tls_server_name.empty()) o["TLSServerName"] = d.tls_server_name;
  if (d.tls_skip_verify) o["TLSSkipVerify"] = true;
  if (!d.header.empty()) {
    json::object h;
    for (const auto& [k, v] : d.header) h[k] = render_strings(v);
    o["Header"] = std::move(h);
  }
  if (!d.method.empty()) o["Method"] = d.method;
  if (!d.body.empty()) o["Body"] = d.body;
  if (d.disable_redirects) o["DisableRedirects"] = true;
  if (!d.tcp.empty()) o["TCP"] = d.tcp;
  if (!d.udp.empty()) o["UDP"] = d.udp;
  if (!d.h2ping.empty()) o["H2PING"] = d.h2ping;
  if (!d.os_service.empty()) o["OSService"] = d.os_service;
  if (d.interval.count()) o["Interval"] = format_duration(d.interval);
  if (d.output_max_size) o["OutputMaxSize"] = d.output_max_size;
  if (d.timeout.count()) o["Timeout"] = format_duration(d.timeout);
  if (d.deregister_critical_service_after.count())
    o["DeregisterCriticalServiceAfter"] = format_duration(d.deregister_critical_service_after);
  if (!d.script_args.empty()) o["ScriptArgs"] = render_strings(d.script_args);
  if (!d.docker_container_id.empty()) o["DockerContainerID"] = d.docker_container_id;
  if (!d.shell.empty()) o["Shell"] = d.shell;
  if (!d.grpc.empty()) o["GRPC"] = d.grpc;
  if (d.grpc_use_tls) o["GRPCUseTLS"] = true;
  if (!d.alias_node.empty()) o["AliasNode"] = d.alias_node;
  if (!d.alias_service.empty()) o["AliasService"] = d.alias_service;
  if (d.ttl.count()) o["TTL"] = format_duration(d.ttl);
  return o;
}

json::object render_check(const check_record& c) {
  json::object o;
  o["Node"] = c.node;
  o["CheckID"] = c.check_id;
  o["Name"] = c.name;
  o["Status"] = c.status;
  o["Notes"] = c.notes;
  o["Output"] = c.output;
  o["ServiceID"] = c.service_id;
  o["ServiceName"] = c.service_name;
  o["ServiceTags"] = render_strings(c.service_tags);
  o["Type"] = c.type;
  o["Interval"] = duration_text(c.definition.interval);
  o["Timeout"] = duration_text(c.definition.timeout);
  o["ExposedPort"] = 0;
  o["Definition"] = render_check_definition(c.definition);
  o["CreateIndex"] = c.create_index;
  o["ModifyIndex"] = c.modify_index;
  return o;
}

json::object render_kv(const kv_entry& e) {
  json::object o;
  o["LockIndex"] = e.lock_index;
  o["Key"] = e.key;
  o["Flags"] = e.flags;
  o["Value"] = e.value ? json::value(core::base64_encode(*e.value)) : json::value(nullptr);
  if (!e.session.empty()) o["Session"] = e.session;
  o["CreateIndex"] = e.create_index;
  o["ModifyIndex"] = e.modify_index;
  return o;
}

json::object render_session(const session_record& s) {
  json::object o;
  o["ID"] = s.id;
  o["Name"] = s.name;
  o["Node"] = s.node;
  o["LockDelay"] = s.lock_delay.count();
  o["Behavior"] = s.behavior;
  o["TTL"] = s.ttl;
  o["NodeChecks"] = s.node_checks ? json::value(render_strings(*s.node_checks)) : json::value(nullptr);
  if (s.service_checks) {
    json::array a;
    for (const auto& id : *s.service_checks) {
      json::object c;
      c["ID"] = id;
      c["Namespace"] = "";
      a.emplace_back(std::move(c));
    }
    o["ServiceChecks"] = std::move(a);
  } else {
    o["ServiceChecks"] = nullptr;
  }
  o["CreateIndex"] = s.create_index;
  o["ModifyIndex"] = s.modify_index;
  return o;
}

}  // namespace coconsul::dev
