// The schemas of Consul 1.14's config entry kinds (schema.hpp): agent/structs/config_entry*.go,
// field by field, in struct order. CE builds: EnterpriseMeta adds no fields.

#include "dev_agent/config_entries/schema.hpp"

#include <cctype>
#include <string>

namespace coconsul::dev::config_entries {

namespace {

using enum field_type;

constexpr field kind_f{"Kind", string, false};
constexpr field name_f{"Name", string, false};
constexpr field meta_f{"Meta", string_map};

// --- shared structs ---
constexpr field mesh_gateway_fields[] = {{"Mode", string}};
constexpr schema mesh_gateway{"MeshGatewayConfig", mesh_gateway_fields};

constexpr field tproxy_fields[] = {{"OutboundListenerPort", integer}, {"DialedDirectly", boolean}};
constexpr schema tproxy{"TransparentProxyConfig", tproxy_fields};

constexpr field expose_path_fields[] = {{"ListenerPort", integer}, {"Path", string},
                                        {"LocalPathPort", integer}, {"Protocol", string},
                                        {"ParsedFromCheck", boolean}};
constexpr schema expose_path{"ExposePath", expose_path_fields};
constexpr field expose_fields[] = {{"Checks", boolean}, {"Paths", objects, true, &expose_path}};
constexpr schema expose{"ExposeConfig", expose_fields};

constexpr field header_mod_fields[] = {{"Add", string_map}, {"Set", string_map}, {"Remove", strings}};
constexpr schema header_mod{"HTTPHeaderModifiers", header_mod_fields};

constexpr field limits_fields[] = {{"MaxConnections", integer, true, nullptr, true},
                                   {"MaxPendingRequests", integer, true, nullptr, true},
                                   {"MaxConcurrentRequests", integer, true, nullptr, true}};
constexpr schema upstream_limits{"UpstreamLimits", limits_fields};

constexpr field phc_fields[] = {{"Interval", duration_ns}, {"MaxFailures", integer},
                                {"EnforcingConsecutive5xx", integer, true, nullptr, true}};
constexpr schema passive_health{"PassiveHealthCheck", phc_fields};

constexpr field upstream_fields[] = {
    {"Name", string},          {"Peer", string},
    {"EnvoyListenerJSON", string}, {"EnvoyClusterJSON", string},
    {"Protocol", string},      {"ConnectTimeoutMs", integer},
    {"Limits", object_ptr, true, &upstream_limits},
    {"PassiveHealthCheck", object_ptr, true, &passive_health},
    {"MeshGateway", object, true, &mesh_gateway},
    {"BalanceOutboundConnections", string}};
constexpr schema upstream{"UpstreamConfig", upstream_fields};
constexpr field upstream_cfg_fields[] = {{"Overrides", objects, true, &upstream},
                                         {"Defaults", object_ptr, true, &upstream}};
constexpr schema upstream_cfg{"UpstreamConfiguration", upstream_cfg_fields};

constexpr field destination_fields[] = {{"Addresses", strings}, {"Port", integer}};
constexpr schema destination{"DestinationConfig", destination_fields};

// --- service-defaults ---
constexpr field service_defaults_fields[] = {
    kind_f,
    name_f,
    {"Protocol", string},
    {"Mode", string},
    {"TransparentProxy", object, true, &tproxy},
    {"MeshGateway", object, true, &mesh_gateway},
    {"Expose", object, true, &expose},
    {"ExternalSNI", string},
    {"UpstreamConfig", object_ptr, true, &upstream_cfg},
    {"Destination", object_ptr, true, &destination},
    {"MaxInboundConnections", integer},
    {"LocalConnectTimeoutMs", integer},
    {"LocalRequestTimeoutMs", integer},
    {"BalanceInboundConnections", string},
    meta_f};
constexpr schema service_defaults{"ServiceConfigEntry", service_defaults_fields};

// --- proxy-defaults ---
constexpr field access_logs_fields[] = {{"Enabled", boolean},     {"DisableListenerLogs", boolean},
                                        {"Type", string},         {"Path", string},
                                        {"JSONFormat", string},   {"TextFormat", string}};
constexpr schema access_logs{"AccessLogsConfig", access_logs_fields};
constexpr field proxy_defaults_fields[] = {kind_f,
                                           name_f,
                                           {"Config", any_map},
                                           {"Mode", string},
                                           {"TransparentProxy", object, true, &tproxy},
                                           {"MeshGateway", object, true, &mesh_gateway},
                                           {"Expose", object, true, &expose},
                                           {"AccessLogs", object, true, &access_logs},
                                           meta_f};
constexpr schema proxy_defaults{"ProxyConfigEntry", proxy_defaults_fields};

// --- service-router ---
constexpr field match_header_fields[] = {{"Name", string, false}, {"Present", boolean}, {"Exact", string},
                                         {"Prefix", string},      {"Suffix", string},  {"Regex", string},
                                         {"Invert", boolean}};
constexpr schema match_header{"ServiceRouteHTTPMatchHeader", match_header_fields};
constexpr field match_query_fields[] = {{"Name", string, false}, {"Present", boolean}, {"Exact", string},
                                        {"Regex", string}};
constexpr schema match_query{"ServiceRouteHTTPMatchQueryParam", match_query_fields};
constexpr field http_match_fields[] = {{"PathExact", string},  {"PathPrefix", string},
                                       {"PathRegex", string},  {"Header", objects, true, &match_header},
                                       {"QueryParam", objects, true, &match_query}, {"Methods", strings}};
constexpr schema http_match{"ServiceRouteHTTPMatch", http_match_fields};
constexpr field route_match_fields[] = {{"HTTP", object_ptr, true, &http_match}};
constexpr schema route_match{"ServiceRouteMatch", route_match_fields};
constexpr field route_dest_fields[] = {{"Service", string},
                                       {"ServiceSubset", string},
                                       {"Namespace", string},
                                       {"Partition", string},
                                       {"PrefixRewrite", string},
                                       {"RequestTimeout", duration},
                                       {"IdleTimeout", duration},
                                       {"NumRetries", integer},
                                       {"RetryOnConnectFailure", boolean},
                                       {"RetryOnStatusCodes", integers},
                                       {"RetryOn", strings},
                                       {"RequestHeaders", object_ptr, true, &header_mod},
                                       {"ResponseHeaders", object_ptr, true, &header_mod}};
constexpr schema route_dest{"ServiceRouteDestination", route_dest_fields};
constexpr field route_fields[] = {{"Match", object_ptr, true, &route_match},
                                  {"Destination", object_ptr, true, &route_dest}};
constexpr schema route{"ServiceRoute", route_fields};
constexpr field router_fields[] = {kind_f, name_f, {"Routes", objects, true, &route}, meta_f};
constexpr schema router{"ServiceRouterConfigEntry", router_fields};

// --- service-splitter ---
constexpr field split_fields[] = {{"Weight", number, false},
                                  {"Service", string},
                                  {"ServiceSubset", string},
                                  {"Namespace", string},
                                  {"Partition", string},
                                  {"RequestHeaders", object_ptr, true, &header_mod},
                                  {"ResponseHeaders", object_ptr, true, &header_mod}};
constexpr schema split{"ServiceSplit", split_fields};
constexpr field splitter_fields[] = {kind_f, name_f, {"Splits", objects, true, &split}, meta_f};
constexpr schema splitter{"ServiceSplitterConfigEntry", splitter_fields};

// --- service-resolver ---
constexpr field subset_fields[] = {{"Filter", string}, {"OnlyPassing", boolean}};
constexpr schema subset{"ServiceResolverSubset", subset_fields};
constexpr field redirect_fields[] = {{"Service", string},   {"ServiceSubset", string}, {"Namespace", string},
                                     {"Partition", string}, {"Datacenter", string},    {"Peer", string}};
constexpr schema redirect{"ServiceResolverRedirect", redirect_fields};
constexpr field failover_target_fields[] = {{"Service", string},   {"ServiceSubset", string},
                                            {"Partition", string}, {"Namespace", string},
                                            {"Datacenter", string}, {"Peer", string}};
constexpr schema failover_target{"ServiceResolverFailoverTarget", failover_target_fields};
constexpr field failover_fields[] = {{"Service", string},
                                     {"ServiceSubset", string},
                                     {"Namespace", string},
                                     {"Datacenters", strings},
                                     {"Targets", objects, true, &failover_target}};
constexpr schema failover{"ServiceResolverFailover", failover_fields};
constexpr field ring_hash_fields[] = {{"MinimumRingSize", integer}, {"MaximumRingSize", integer}};
constexpr schema ring_hash{"RingHashConfig", ring_hash_fields};
constexpr field least_request_fields[] = {{"ChoiceCount", integer}};
constexpr schema least_request{"LeastRequestConfig", least_request_fields};
constexpr field cookie_fields[] = {{"Session", boolean}, {"TTL", duration_ns}, {"Path", string}};
constexpr schema cookie{"CookieConfig", cookie_fields};
constexpr field hash_policy_fields[] = {{"Field", string},
                                        {"FieldValue", string},
                                        {"CookieConfig", object_ptr, true, &cookie},
                                        {"SourceIP", boolean},
                                        {"Terminal", boolean}};
constexpr schema hash_policy{"HashPolicy", hash_policy_fields};
constexpr field lb_fields[] = {{"Policy", string},
                               {"RingHashConfig", object_ptr, true, &ring_hash},
                               {"LeastRequestConfig", object_ptr, true, &least_request},
                               {"HashPolicies", objects, true, &hash_policy}};
constexpr schema load_balancer{"LoadBalancer", lb_fields};
constexpr field resolver_fields[] = {kind_f,
                                     name_f,
                                     {"DefaultSubset", string},
                                     {"Subsets", object_map, true, &subset},
                                     {"Redirect", object_ptr, true, &redirect},
                                     {"Failover", object_map, true, &failover},
                                     {"ConnectTimeout", duration},
                                     {"LoadBalancer", object_ptr, true, &load_balancer},
                                     meta_f};
constexpr schema resolver{"ServiceResolverConfigEntry", resolver_fields};

// --- ingress-gateway ---
constexpr field sds_fields[] = {{"ClusterName", string}, {"CertResource", string}};
constexpr schema sds{"GatewayTLSSDSConfig", sds_fields};
constexpr field gateway_tls_fields[] = {{"Enabled", boolean, false},
                                        {"SDS", object_ptr, true, &sds},
                                        {"TLSMinVersion", string},
                                        {"TLSMaxVersion", string},
                                        {"CipherSuites", strings}};
constexpr schema gateway_tls{"GatewayTLSConfig", gateway_tls_fields};
constexpr field service_tls_fields[] = {{"SDS", object_ptr, true, &sds}};
constexpr schema service_tls{"GatewayServiceTLSConfig", service_tls_fields};
constexpr field ingress_service_fields[] = {{"Name", string, false},
                                            {"Hosts", strings, false},
                                            {"TLS", object_ptr, true, &service_tls},
                                            {"RequestHeaders", object_ptr, true, &header_mod},
                                            {"ResponseHeaders", object_ptr, true, &header_mod},
                                            {"MaxConnections", integer, true, nullptr, true},
                                            {"MaxPendingRequests", integer, true, nullptr, true},
                                            {"MaxConcurrentRequests", integer, true, nullptr, true},
                                            meta_f};
constexpr schema ingress_service{"IngressService", ingress_service_fields};
constexpr field listener_fields[] = {{"Port", integer, false},
                                     {"Protocol", string, false},
                                     {"TLS", object_ptr, true, &gateway_tls},
                                     {"Services", objects, false, &ingress_service}};
constexpr schema listener{"IngressListener", listener_fields};
constexpr field ingress_defaults_fields[] = {{"MaxConnections", integer, true, nullptr, true},
                                             {"MaxPendingRequests", integer, true, nullptr, true},
                                             {"MaxConcurrentRequests", integer, true, nullptr, true}};
constexpr schema ingress_defaults{"IngressServiceConfig", ingress_defaults_fields};
constexpr field ingress_fields[] = {kind_f,
                                    name_f,
                                    {"TLS", object, false, &gateway_tls},
                                    {"Listeners", objects, false, &listener},
                                    {"Defaults", object_ptr, true, &ingress_defaults},
                                    meta_f};
constexpr schema ingress{"IngressGatewayConfigEntry", ingress_fields};

// --- terminating-gateway ---
constexpr field linked_fields[] = {{"Name", string},     {"CAFile", string}, {"CertFile", string},
                                   {"KeyFile", string},  {"SNI", string}};
constexpr schema linked{"LinkedService", linked_fields};
constexpr field terminating_fields[] = {kind_f, name_f, {"Services", objects, true, &linked}, meta_f};
constexpr schema terminating{"TerminatingGatewayConfigEntry", terminating_fields};

// --- service-intentions (decoding only; the kind's rules are service_intentions.cpp's) ---
constexpr field perm_header_fields[] = {{"Name", string, false}, {"Present", boolean}, {"Exact", string},
                                        {"Prefix", string},      {"Suffix", string},  {"Regex", string},
                                        {"Invert", boolean}};
constexpr schema perm_header{"IntentionHTTPHeaderPermission", perm_header_fields};
constexpr field perm_http_fields[] = {{"PathExact", string}, {"PathPrefix", string}, {"PathRegex", string},
                                      {"Header", objects, true, &perm_header}, {"Methods", strings}};
constexpr schema perm_http{"IntentionHTTPPermission", perm_http_fields};
constexpr field permission_fields[] = {{"Action", string, false}, {"HTTP", object_ptr, true, &perm_http}};
constexpr schema permission{"IntentionPermission", permission_fields};
constexpr field source_fields[] = {{"Name", string, false},
                                   {"Peer", string},
                                   {"Action", string},
                                   {"Permissions", objects, true, &permission},
                                   {"Precedence", integer, false},
                                   {"LegacyID", string},
                                   {"Type", string, false},
                                   {"Description", string},
                                   {"LegacyMeta", string_map},
                                   {"LegacyCreateTime", timestamp, true, nullptr, true},
                                   {"LegacyUpdateTime", timestamp, true, nullptr, true}};
constexpr schema source{"SourceIntention", source_fields};
constexpr field intentions_fields[] = {kind_f, name_f, {"Sources", objects, false, &source}, meta_f};
constexpr schema intentions{"ServiceIntentionsConfigEntry", intentions_fields};

// --- mesh (no Name field: its name is always "mesh"; MarshalJSON adds Kind) ---
constexpr field mesh_tproxy_fields[] = {{"MeshDestinationsOnly", boolean, false}};
constexpr schema mesh_tproxy{"TransparentProxyMeshConfig", mesh_tproxy_fields};
constexpr field directional_tls_fields[] = {{"TLSMinVersion", string}, {"TLSMaxVersion", string},
                                            {"CipherSuites", strings}};
constexpr schema directional_tls{"MeshDirectionalTLSConfig", directional_tls_fields};
constexpr field mesh_tls_fields[] = {{"Incoming", object_ptr, true, &directional_tls},
                                     {"Outgoing", object_ptr, true, &directional_tls}};
constexpr schema mesh_tls{"MeshTLSConfig", mesh_tls_fields};
constexpr field mesh_http_fields[] = {{"SanitizeXForwardedClientCert", boolean, false}};
constexpr schema mesh_http{"MeshHTTPConfig", mesh_http_fields};
constexpr field mesh_peering_fields[] = {{"PeerThroughMeshGateways", boolean}};
constexpr schema mesh_peering{"PeeringMeshConfig", mesh_peering_fields};
constexpr field mesh_fields[] = {kind_f,
                                 {"TransparentProxy", object, false, &mesh_tproxy},
                                 {"TLS", object_ptr, true, &mesh_tls},
                                 {"HTTP", object_ptr, true, &mesh_http},
                                 {"Peering", object_ptr, true, &mesh_peering},
                                 meta_f};
constexpr schema mesh{"MeshConfigEntry", mesh_fields};

// --- exported-services (MarshalJSON adds Kind) ---
constexpr field consumer_fields[] = {{"Partition", string}, {"PeerName", string}};
constexpr schema consumer{"ServiceConsumer", consumer_fields};
constexpr field exported_fields[] = {{"Name", string, false}, {"Consumers", objects, false, &consumer}};
constexpr schema exported{"ExportedService", exported_fields};
constexpr field exports_fields[] = {kind_f, name_f, {"Services", objects, false, &exported}, meta_f};
constexpr schema exports{"ExportedServicesConfigEntry", exports_fields};

struct named_schema {
  std::string_view kind;
  const schema* s;
};
constexpr named_schema by_kind[] = {
    {"service-defaults", &service_defaults},   {"proxy-defaults", &proxy_defaults},
    {"service-router", &router},               {"service-splitter", &splitter},
    {"service-resolver", &resolver},           {"ingress-gateway", &ingress},
    {"terminating-gateway", &terminating},     {"service-intentions", &intentions},
    {"mesh", &mesh},                           {"exported-services", &exports},
};

}  // namespace

const field* schema::find(std::string_view key) const {
  for (const auto& f : fields)
    if (f.name == key) return &f;
  return nullptr;
}

const schema* entry_schema(std::string_view kind) {
  for (const auto& k : by_kind)
    if (k.kind == kind) return k.s;
  return nullptr;
}

std::string snake_alias(std::string_view name) {
  std::string out;
  auto upper = [&](std::size_t i) { return i < name.size() && std::isupper(static_cast<unsigned char>(name[i])); };
  for (std::size_t i = 0; i < name.size(); ++i) {
    // A word starts at an upper-case letter after a lower-case one or a digit, or at the last
    // capital of a run followed by a lower-case letter ("TLSMin" -> "tls_min").
    bool starts = i > 0 && upper(i) && (!upper(i - 1) || (i + 1 < name.size() && !upper(i + 1) &&
                                                          std::isalpha(static_cast<unsigned char>(name[i + 1]))));
    if (starts) out.push_back('_');
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(name[i]))));
  }
  return out;
}

}  // namespace coconsul::dev::config_entries
