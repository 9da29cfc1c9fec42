#pragma once
// A config entry of any kind (GET /v1/config/:kind[/:name], PUT /v1/config): a std::variant
// of the typed kinds of Consul 1.14, chosen by the JSON's Kind when decoded. A kind coconsul
// does not know (a newer Consul's "api-gateway", say) is kept whole as unknown_config_entry
// rather than failing, and is written back as it came.
//
//   coconsul::config_entry e = coconsul::service_defaults{.name = "web", .protocol = "http"};
//   if (auto* d = std::get_if<coconsul::service_defaults>(&e)) use(d->protocol);
//   e.kind();   // "service-defaults"
//
// JSON: decode_json/encode_json (coconsul/json.hpp) with config_entry or
// std::vector<config_entry>; the encoding writes "Kind" first, then the kind's fields.

#include <coconsul/json.hpp>
#include <coconsul/model/config_entry_chain.hpp>
#include <coconsul/model/config_entry_gateway.hpp>
#include <coconsul/model/config_entry_mesh.hpp>
#include <coconsul/model/config_entry_service.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace coconsul {

// An entry of a kind coconsul has no struct for: its Kind, Name and the whole JSON object.
struct unknown_config_entry {
  std::string kind;
  std::string name;
  boost::json::object body;  // everything, Kind and Name included

  bool operator==(const unknown_config_entry&) const = default;
};

using config_entry_variant =
    std::variant<service_defaults, proxy_defaults, service_router, service_splitter, service_resolver,
                 ingress_gateway, terminating_gateway, service_intentions, mesh_config, exported_services,
                 unknown_config_entry>;

// The sum type. std::get, std::get_if, std::holds_alternative and std::visit work on it.
struct config_entry : config_entry_variant {
  using config_entry_variant::variant;
  config_entry() = default;

  const config_entry_variant& as_variant() const noexcept { return *this; }
  config_entry_variant& as_variant() noexcept { return *this; }

  std::string_view kind() const noexcept;
  // The name: "mesh" for the mesh entry, which has none on the wire.
  std::string_view name() const noexcept;
  std::uint64_t create_index() const noexcept;
  std::uint64_t modify_index() const noexcept;

  friend bool operator==(const config_entry& a, const config_entry& b) { return a.as_variant() == b.as_variant(); }
};

// The kinds coconsul models, in Consul's order.
inline constexpr std::string_view config_entry_kinds[] = {
    service_defaults::kind, proxy_defaults::kind,     service_router::kind,      service_splitter::kind,
    service_resolver::kind, ingress_gateway::kind,    terminating_gateway::kind, service_intentions::kind,
    mesh_config::kind,      exported_services::kind};

bool is_known_config_entry_kind(std::string_view kind) noexcept;

// The JSON of config entries (defined in src/protocol/model_json_config_entry.cpp). Decoding
// fails (errc::decode_error) for a body that is not an object, has no string Kind ("Payload
// does not contain a kind/Kind key at the top level", Consul's text), or a known field of the
// wrong type.
template <>
error_code decode_json<config_entry>(std::string_view body, config_entry& out, diagnostics& diag);
template <>
std::string encode_json<config_entry>(const config_entry& value, encode_mode mode);
template <>
error_code decode_json<std::vector<config_entry>>(std::string_view body, std::vector<config_entry>& out,
                                                  diagnostics& diag);
template <>
std::string encode_json<std::vector<config_entry>>(const std::vector<config_entry>& value, encode_mode mode);

}  // namespace coconsul
