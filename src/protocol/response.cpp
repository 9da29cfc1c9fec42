// Response reading: status to error code, X-Consul-* headers to query_meta.
#include "protocol/response.hpp"

#include "core/text.hpp"

#include <charconv>

namespace coconsul::protocol {
namespace {

error_code malformed(diagnostics& diag, std::string_view header, const std::string& value) {
  diag.message = "malformed " + std::string(header) + " header: " + core::quoted(value, core::non_ascii::escape);
  return make_error_code(errc::malformed_response);
}

template <class Int>
bool parse_uint(const std::string& s, Int& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size() && !s.empty();
}

}  // namespace

error_code check_status(const response& r, diagnostics& diag) {
  if (r.status >= 200 && r.status < 300) return {};
  diag.http_status = r.status;
  diag.message = r.body;
  while (!diag.message.empty() && (diag.message.back() == '\n' || diag.message.back() == '\r'))
    diag.message.pop_back();
  // Consul answers an unknown token (and a token or policy read by an unknown ID) with 403 and
  // acl.ErrNotFound's text, which a denial never ends with: tell the two apart.
  if (r.status == 403 && diag.message.ends_with("ACL not found")) return make_error_code(errc::acl_not_found);
  return make_error_code(errc_from_http_status(r.status));
}

error_code read_query_meta(const response& r, query_meta& meta, diagnostics& diag) {
  if (const auto* v = r.find_header("X-Consul-Index")) {
    if (!parse_uint(*v, meta.last_index)) return malformed(diag, "X-Consul-Index", *v);
  }
  if (const auto* v = r.find_header("X-Consul-KnownLeader")) {
    if (*v == "true") meta.known_leader = true;
    else if (*v == "false") meta.known_leader = false;
    else return malformed(diag, "X-Consul-KnownLeader", *v);
  }
  if (const auto* v = r.find_header("X-Consul-LastContact")) {
    std::uint64_t ms = 0;
    if (!parse_uint(*v, ms)) return malformed(diag, "X-Consul-LastContact", *v);
    meta.last_contact = std::chrono::milliseconds(static_cast<std::int64_t>(ms));
  }
  if (const auto* v = r.find_header("X-Consul-Effective-Consistency")) meta.effective_consistency = *v;
  if (const auto* v = r.find_header("X-Consul-ContentHash")) meta.content_hash = *v;
  if (const auto* v = r.find_header("X-Consul-Query-Backend")) meta.query_backend = *v;
  if (const auto* v = r.find_header("X-Consul-Default-ACL-Policy")) meta.default_acl_policy = *v;
  // Consul sends it only as "true"; Consul's Go client reads anything else as false, as here.
  if (const auto* v = r.find_header("X-Consul-Results-Filtered-By-ACLs")) meta.results_filtered_by_acls = *v == "true";
  if (const auto* v = r.find_header("X-Cache")) meta.cache_hit = (*v == "HIT");
  if (const auto* v = r.find_header("Age"); v && meta.cache_hit) {
    std::uint64_t s = 0;
    if (!parse_uint(*v, s)) return malformed(diag, "Age", *v);
    meta.cache_age = std::chrono::seconds(static_cast<std::int64_t>(s));
  }
  return {};
}

}  // namespace coconsul::protocol
