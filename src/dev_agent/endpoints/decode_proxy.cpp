// A service's Proxy (structs.ConnectProxyConfig with its Upstream, ExposeConfig, ExposePath,
// MeshGatewayConfig and TransparentProxyConfig) decoded strictly, as Consul's UnmarshalJSON
// methods do: CamelCase keys, and the snake_case aliases those methods accept (see decode.hpp).

#include "dev_agent/endpoints/decode.hpp"

namespace coconsul::dev {
namespace json = boost::json;

namespace {

// A map[string]interface{} member: any JSON object, kept as given.
json_field object_field(std::string_view name, json::object& out) {
  return {name, [&out](const json::value& v, const json_context& ctx) {
            if (!v.is_object()) throw_type_error(v, ctx, "map[string]interface {}");
            out = v.get_object();
          }};
}

json_field mesh_gateway_field(std::string_view name, std::string& mode) {
  return {name, [&mode](const json::value& v, const json_context&) {
            decode_object(v, {"MeshGatewayConfig", ""}, {field("Mode", mode)});
          }};
}

upstream_record decode_upstream(const json::value& v) {
  upstream_record u;
  decode_object(v, {"Upstream", ""},
                {field("DestinationType", u.destination_type), field("destination_type", u.destination_type),
                 field("DestinationNamespace", u.destination_namespace),
                 field("destination_namespace", u.destination_namespace),
                 field("DestinationPartition", u.destination_partition),
                 field("destination_partition", u.destination_partition),
                 field("DestinationPeer", u.destination_peer), field("destination_peer", u.destination_peer),
                 field("DestinationName", u.destination_name), field("destination_name", u.destination_name),
                 field("Datacenter", u.datacenter),
                 field("LocalBindAddress", u.local_bind_address), field("local_bind_address", u.local_bind_address),
                 field("LocalBindPort", u.local_bind_port), field("local_bind_port", u.local_bind_port),
                 field("LocalBindSocketPath", u.local_bind_socket_path),
                 field("local_bind_socket_path", u.local_bind_socket_path),
                 field("LocalBindSocketMode", u.local_bind_socket_mode),
                 field("local_bind_socket_mode", u.local_bind_socket_mode), object_field("Config", u.config),
                 mesh_gateway_field("MeshGateway", u.mesh_gateway_mode),
                 mesh_gateway_field("mesh_gateway", u.mesh_gateway_mode),
                 field("CentrallyConfigured", u.centrally_configured)});
  return u;
}

expose_path_record decode_expose_path(const json::value& v) {
  expose_path_record p;
  decode_object(v, {"ExposePath", ""},
                {field("ListenerPort", p.listener_port), field("listener_port", p.listener_port),
                 field("Path", p.path), field("LocalPathPort", p.local_path_port),
                 field("local_path_port", p.local_path_port), field("Protocol", p.protocol),
                 field("ParsedFromCheck", p.parsed_from_check), field("parsed_from_check", p.parsed_from_check)});
  return p;
}

template <class T, class Decode>
json_field list_field(std::string_view name, std::string_view go_type, std::vector<T>& out, Decode decode) {
  return {name, [&out, go_type, decode](const json::value& v, const json_context& ctx) {
            if (!v.is_array()) throw_type_error(v, ctx, go_type);
            out.clear();
            for (const auto& e : v.get_array()) out.push_back(decode(e));
          }};
}

}  // namespace

proxy_record decode_proxy(const json::value& v) {
  proxy_record p;
  auto transparent = [&p](const json::value& t, const json_context&) {
    decode_object(t, {"TransparentProxyConfig", ""},
                  {field("OutboundListenerPort", p.transparent_outbound_listener_port),
                   field("DialedDirectly", p.transparent_dialed_directly)});
  };
  auto expose = [&p](const json::value& e, const json_context&) {
    decode_object(e, {"ExposeConfig", ""},
                  {field("Checks", p.expose_checks),
                   list_field("Paths", "[]structs.ExposePath", p.expose_paths, decode_expose_path)});
  };
  decode_object(
      v, {"ConnectProxyConfig", ""},
      {field("DestinationServiceName", p.destination_service_name),
       field("destination_service_name", p.destination_service_name),
       field("DestinationServiceID", p.destination_service_id),
       field("destination_service_id", p.destination_service_id),
       field("LocalServiceAddress", p.local_service_address), field("local_service_address", p.local_service_address),
       field("LocalServicePort", p.local_service_port), field("local_service_port", p.local_service_port),
       field("LocalServiceSocketPath", p.local_service_socket_path),
       field("local_service_socket_path", p.local_service_socket_path), field("Mode", p.mode),
       object_field("Config", p.config),
       list_field("Upstreams", "structs.Upstreams", p.upstreams, decode_upstream),
       mesh_gateway_field("MeshGateway", p.mesh_gateway_mode), mesh_gateway_field("mesh_gateway", p.mesh_gateway_mode),
       json_field{"Expose", expose}, json_field{"TransparentProxy", transparent},
       json_field{"transparent_proxy", transparent}});
  return p;
}

}  // namespace coconsul::dev
