// JSON of the config entries (include/coconsul/model/config_entry.hpp): each kind through the
// generic codec, and the sum type chosen by the object's Kind, written back with Kind first.
#include "protocol/json_codec.hpp"

#include <coconsul/model/config_entry.hpp>

#include <boost/json/monotonic_resource.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstddef>
#include <utility>

namespace coconsul {
namespace {

namespace json = boost::json;

template <class... Kinds>
struct kind_list {};
using typed_kinds = kind_list<service_defaults, proxy_defaults, service_router, service_splitter, service_resolver,
                              ingress_gateway, terminating_gateway, service_intentions, mesh_config, exported_services>;

// The string Kind of an object, as Consul's server reads it ("Kind", else "kind"); null when
// there is none.
const json::string* kind_of(const json::object& o) {
  const json::value* v = o.if_contains("Kind");
  if (!v) v = o.if_contains("kind");
  return v && v->is_string() ? &v->get_string() : nullptr;
}

error_code fail(diagnostics& diag, std::string message) {
  diag.http_status = 0;
  diag.message = "decode error: " + std::move(message);
  return make_error_code(errc::decode_error);
}

template <class Kind, class... Rest>
error_code decode_kind(std::string_view kind, const json::value& v, config_entry& out, diagnostics& diag,
                       kind_list<Kind, Rest...>) {
  if (kind == Kind::kind) {
    Kind typed{};
    if (auto ec = protocol::decode_into(v, typed, diag)) return ec;
    out = std::move(typed);
    return {};
  }
  if constexpr (sizeof...(Rest) > 0) {
    return decode_kind(kind, v, out, diag, kind_list<Rest...>{});
  } else {
    // Kept whole: a newer Consul's kind is still listed, read and written back.
    unknown_config_entry unknown;
    unknown.kind = std::string(kind);
    const auto& o = v.get_object();
    if (const json::value* name = o.if_contains("Name"); name && name->is_string())
      unknown.name = std::string(name->get_string());
    unknown.body = o;  // copied into the entry's own storage
    out = std::move(unknown);
    return {};
  }
}

error_code decode_entry(const json::value& v, config_entry& out, diagnostics& diag) {
  if (!v.is_object()) return fail(diag, "a config entry must be a JSON object");
  const json::string* kind = kind_of(v.get_object());
  if (!kind) return fail(diag, "Payload does not contain a kind/Kind key at the top level");
  config_entry result;
  if (auto ec = decode_kind(std::string_view(kind->data(), kind->size()), v, result, diag, typed_kinds{}))
    return ec;
  out = std::move(result);
  diag.clear();
  return {};
}

// Whole numbers written as doubles (a split's Weight: 90) become integers, as Go writes a
// float32 90: Boost.JSON would write 9E1.
void whole_numbers_as_integers(json::value& v) {
  if (v.is_double()) {
    const double d = v.get_double();
    if (std::trunc(d) == d && std::fabs(d) < 9e15) v = static_cast<std::int64_t>(d);
  } else if (v.is_array()) {
    for (auto& x : v.get_array()) whole_numbers_as_integers(x);
  } else if (v.is_object()) {
    for (auto& x : v.get_object()) whole_numbers_as_integers(x.value());
  }
}

void encode_entry(const config_entry& e, json::value& out, encode_mode mode) {
  std::visit(
      [&](const auto& typed) {
        using T = std::decay_t<decltype(typed)>;
        if constexpr (std::is_same_v<T, unknown_config_entry>) {
          out.emplace_object() = typed.body;
        } else {
          json::value fields(out.storage());
          protocol::encode_to(typed, fields, mode);
          auto& o = out.emplace_object();
          o.reserve(fields.get_object().size() + 1);
          o["Kind"] = T::kind;
          for (const auto& f : fields.get_object()) o[f.key()] = f.value();
          whole_numbers_as_integers(out);
        }
      },
      e.as_variant());
}

// An index of an entry kept whole; 0 when absent or not a count.
std::uint64_t body_index(const json::object& body, std::string_view key) noexcept {
  const json::value* v = body.if_contains(key);
  if (!v) return 0;
  error_code ec;
  const auto n = v->to_number<std::uint64_t>(ec);
  return ec ? 0 : n;
}

}  // namespace

std::string_view config_entry::kind() const noexcept {
  return std::visit(
      [](const auto& typed) -> std::string_view {
        using T = std::decay_t<decltype(typed)>;
        if constexpr (std::is_same_v<T, unknown_config_entry>) return typed.kind;
        else return T::kind;
      },
      as_variant());
}

std::string_view config_entry::name() const noexcept {
  return std::visit(
      [](const auto& typed) -> std::string_view {
        using T = std::decay_t<decltype(typed)>;
        if constexpr (std::is_same_v<T, mesh_config>) return "mesh";
        else return typed.name;
      },
      as_variant());
}

std::uint64_t config_entry::create_index() const noexcept {
  return std::visit(
      [](const auto& typed) -> std::uint64_t {
        using T = std::decay_t<decltype(typed)>;
        if constexpr (std::is_same_v<T, unknown_config_entry>) {
          return body_index(typed.body, "CreateIndex");
        } else {
          return typed.create_index;
        }
      },
      as_variant());
}

std::uint64_t config_entry::modify_index() const noexcept {
  return std::visit(
      [](const auto& typed) -> std::uint64_t {
        using T = std::decay_t<decltype(typed)>;
        if constexpr (std::is_same_v<T, unknown_config_entry>) {
          return body_index(typed.body, "ModifyIndex");
        } else {
          return typed.modify_index;
        }
      },
      as_variant());
}

bool is_known_config_entry_kind(std::string_view kind) noexcept {
  return std::find(std::begin(config_entry_kinds), std::end(config_entry_kinds), kind) != std::end(config_entry_kinds);
}

template <>
error_code decode_json<config_entry>(std::string_view body, config_entry& out, diagnostics& diag) {
  json::monotonic_resource arena;
  json::value parsed(&arena);
  if (auto ec = protocol::parse_json(body, parsed, diag)) return ec;
  return decode_entry(parsed, out, diag);
}

template <>
std::string encode_json<config_entry>(const config_entry& value, encode_mode mode) {
  json::monotonic_resource arena;
  json::value out(&arena);
  encode_entry(value, out, mode);
  return protocol::serialize(out);
}

template <>
error_code decode_json<std::vector<config_entry>>(std::string_view body, std::vector<config_entry>& out,
                                                  diagnostics& diag) {
  json::monotonic_resource arena;
  json::value parsed(&arena);
  if (auto ec = protocol::parse_json(body, parsed, diag)) return ec;
  std::vector<config_entry> result;
  if (!parsed.is_null()) {  // Consul's empty list may be null
    if (!parsed.is_array()) return fail(diag, "expected an array of config entries");
    const auto& array = parsed.get_array();
    result.reserve(array.size());
    for (std::size_t i = 0; i < array.size(); ++i) {
      if (auto ec = decode_entry(array[i], result.emplace_back(), diag)) {
        // "decode error: [2].Routes..." like the generic codec's paths.
        const std::string_view prefix = "decode error: ";
        std::string rest = diag.message.substr(std::min(diag.message.size(), prefix.size()));
        diag.message = std::string(prefix) + "[" + std::to_string(i) + "]" + (rest.empty() ? "" : ": ") + rest;
        return ec;
      }
    }
  }
  out = std::move(result);
  diag.clear();
  return {};
}

template <>
std::string encode_json<std::vector<config_entry>>(const std::vector<config_entry>& value, encode_mode mode) {
  json::monotonic_resource arena;
  json::value out(&arena);
  auto& array = out.emplace_array();
  array.reserve(value.size());
  for (const auto& e : value) encode_entry(e, array.emplace_back(nullptr), mode);
  return protocol::serialize(out);
}

}  // namespace coconsul

// Each kind alone, for programs that hold one typed entry (no Kind in its JSON).
COCONSUL_JSON_INSTANTIATE(coconsul::service_defaults)
COCONSUL_JSON_INSTANTIATE(coconsul::proxy_defaults)
COCONSUL_JSON_INSTANTIATE(coconsul::service_router)
COCONSUL_JSON_INSTANTIATE(coconsul::service_splitter)
COCONSUL_JSON_INSTANTIATE(coconsul::service_resolver)
COCONSUL_JSON_INSTANTIATE(coconsul::ingress_gateway)
COCONSUL_JSON_INSTANTIATE(coconsul::terminating_gateway)
COCONSUL_JSON_INSTANTIATE(coconsul::service_intentions)
COCONSUL_JSON_INSTANTIATE(coconsul::mesh_config)
COCONSUL_JSON_INSTANTIATE(coconsul::exported_services)
