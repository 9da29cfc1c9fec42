// A service's Proxy and Connect as Consul writes them (see render.hpp): the catalog and health
// endpoints send structs.ConnectProxyConfig, the agent endpoints api.AgentServiceConnectProxyConfig
// (its ToAPI copy). The two differ in which empty members they leave out.

#include "dev_agent/endpoints/render.hpp"

namespace coconsul::dev {
namespace json = boost::json;

namespace {

enum class form { structs, api };

json::object mesh_gateway(const std::string& mode) {
  json::object o;
  if (!mode.empty()) o["Mode"] = mode;
  return o;
}

json::object render_upstream(const upstream_record& u, form f) {
  json::object o;
  // structs.Upstream always writes DestinationType and Datacenter; api.Upstream leaves them out
  // when empty. The api copy also drops CentrallyConfigured (ToAPI does not copy it).
  if (f == form::structs || !u.destination_type.empty()) o["DestinationType"] = u.destination_type;
  if (!u.destination_namespace.empty()) o["DestinationNamespace"] = u.destination_namespace;
  if (!u.destination_partition.empty()) o["DestinationPartition"] = u.destination_partition;
  if (!u.destination_peer.empty()) o["DestinationPeer"] = u.destination_peer;
  o["DestinationName"] = u.destination_name;
  if (f == form::structs || !u.datacenter.empty()) o["Datacenter"] = u.datacenter;
  if (!u.local_bind_address.empty()) o["LocalBindAddress"] = u.local_bind_address;
  if (u.local_bind_port) o["LocalBindPort"] = u.local_bind_port;
  if (!u.local_bind_socket_path.empty()) o["LocalBindSocketPath"] = u.local_bind_socket_path;
  if (!u.local_bind_socket_mode.empty()) o["LocalBindSocketMode"] = u.local_bind_socket_mode;
  if (!u.config.empty()) o["Config"] = u.config;
  o["MeshGateway"] = mesh_gateway(u.mesh_gateway_mode);
  if (f == form::structs && u.centrally_configured) o["CentrallyConfigured"] = true;
  return o;
}

json::object render_expose(const proxy_record& p) {
  json::object o;
  if (p.expose_checks) o["Checks"] = true;
  if (!p.expose_paths.empty()) {
    json::array paths;
    for (const auto& e : p.expose_paths) {
      json::object path;
      if (e.listener_port) path["ListenerPort"] = e.listener_port;
      if (!e.path.empty()) path["Path"] = e.path;
      if (e.local_path_port) path["LocalPathPort"] = e.local_path_port;
      if (!e.protocol.empty()) path["Protocol"] = e.protocol;
      if (e.parsed_from_check) path["ParsedFromCheck"] = true;
      paths.emplace_back(std::move(path));
    }
    o["Paths"] = std::move(paths);
  }
  return o;
}

json::object render(const proxy_record& p, form f) {
  json::object o;
  bool transparent = p.transparent_outbound_listener_port != 0 || p.transparent_dialed_directly;
  json::object tproxy;
  if (p.transparent_outbound_listener_port) tproxy["OutboundListenerPort"] = p.transparent_outbound_listener_port;
  if (p.transparent_dialed_directly) tproxy["DialedDirectly"] = true;
  // structs' MarshalJSON puts its TransparentProxy pointer before the other members.
  if (f == form::structs && transparent) o["TransparentProxy"] = tproxy;
  if (!p.destination_service_name.empty()) o["DestinationServiceName"] = p.destination_service_name;
  if (!p.destination_service_id.empty()) o["DestinationServiceID"] = p.destination_service_id;
  if (!p.local_service_address.empty()) o["LocalServiceAddress"] = p.local_service_address;
  if (p.local_service_port) o["LocalServicePort"] = p.local_service_port;
  if (!p.local_service_socket_path.empty()) o["LocalServiceSocketPath"] = p.local_service_socket_path;
  if (f == form::structs || !p.mode.empty()) o["Mode"] = p.mode;  // structs' Mode has no omitempty
  if (f == form::api && transparent) o["TransparentProxy"] = std::move(tproxy);
  if (!p.config.empty()) o["Config"] = p.config;
  if (!p.upstreams.empty()) {
    json::array ups;
    for (const auto& u : p.upstreams) ups.emplace_back(render_upstream(u, f));
    o["Upstreams"] = std::move(ups);
  }
  o["MeshGateway"] = mesh_gateway(p.mesh_gateway_mode);
  o["Expose"] = render_expose(p);
  return o;
}

}  // namespace

json::object render_proxy(const proxy_record& p) { return render(p, form::structs); }

json::object render_agent_proxy(const proxy_record& p) { return render(p, form::api); }

json::object render_connect(const service_record& s) {
  json::object o;
  if (s.connect_native) o["Native"] = true;
  return o;
}

bool has_proxy(const service_record& s) {
  return s.kind == "connect-proxy" || s.kind == "mesh-gateway" || s.kind == "terminating-gateway" ||
         s.kind == "ingress-gateway";
}

}  // namespace coconsul::dev
