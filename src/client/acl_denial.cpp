// parse_acl_denial: what a 403 "Permission denied" named, read from Consul's text
// (acl.PermissionDeniedByACLError's format: AccessorID, then 'resource:access', then the name
// quoted as Go's %q does).
#include <coconsul/acl.hpp>

namespace coconsul {
namespace {

// The text after the first `lead` at or after `from` up to the next `close`; `from` moves past it.
std::optional<std::string> between(std::string_view s, std::size_t& from, std::string_view lead, char close) {
  const auto at = s.find(lead, from);
  if (at == std::string_view::npos) return std::nullopt;
  const auto start = at + lead.size();
  const auto end = s.find(close, start);
  if (end == std::string_view::npos) return std::nullopt;
  from = end + 1;
  return std::string(s.substr(start, end - start));
}

// A Go %q string's content: backslash escapes of quotes and backslashes undone; other escapes
// (which ACL names rarely need) are kept as written.
std::optional<std::string> go_quoted(std::string_view s, std::size_t from) {
  if (from >= s.size() || s[from] != '"') return std::nullopt;
  std::string out;
  for (std::size_t i = from + 1; i < s.size(); ++i) {
    if (s[i] == '"') return out;
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) ++i;
    out += s[i];
  }
  return std::nullopt;
}

}  // namespace

std::optional<acl_denial> parse_acl_denial(const diagnostics& diag) {
  constexpr std::string_view denied = "Permission denied";
  const std::string_view text = diag.message;
  if (diag.http_status != 403 || !text.starts_with(denied)) return std::nullopt;
  acl_denial d;
  std::size_t pos = denied.size();
  if (auto id = between(text, pos, "token with AccessorID '", '\'')) d.accessor_id = std::move(*id);
  if (auto perm = between(text, pos, "lacks permission '", '\'')) {
    d.permission = std::move(*perm);
    if (const auto colon = d.permission.rfind(':'); colon != std::string::npos) {
      d.resource = d.permission.substr(0, colon);
      d.access = d.permission.substr(colon + 1);
    }
    if (text.substr(pos).starts_with(" on "))
      if (auto name = go_quoted(text, pos + 4)) d.name = std::move(*name);
  }
  return d;
}

}  // namespace coconsul
