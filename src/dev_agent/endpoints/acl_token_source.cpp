// Token sources and resolution (see acl_token_source.hpp).

#include "dev_agent/endpoints/acl_token_source.hpp"

#include <boost/beast/core/string.hpp>

namespace coconsul::dev {

namespace {
// Go's strings.TrimSpace for the ASCII spaces a header can hold.
std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// "<Scheme> <Value>": split on single spaces as Go's strings.Split does; the scheme must be
// "bearer" in any case, and only the value's first word counts.
std::string bearer_token(std::string_view header) {
  auto space = header.find(' ');
  if (space == std::string_view::npos) return {};
  if (!boost::beast::iequals(header.substr(0, space), "bearer")) return {};
  std::string_view value = trim(header.substr(space + 1));
  return std::string(trim(value.substr(0, value.find(' '))));
}
}  // namespace

std::string request_secret(const http_request& req, const agent_controls& controls) {
  if (auto q = req.query.get("token"); q && !q->empty()) return *q;
  if (auto h = req.header("X-Consul-Token"); !h.empty()) return std::string(h);
  if (auto h = req.header("Authorization"); !h.empty())
    if (auto t = bearer_token(h); !t.empty()) return t;
  return default_secret(controls);
}

std::string default_secret(const agent_controls& controls) {
  auto it = controls.tokens.find("default");
  return it == controls.tokens.end() ? std::string() : it->second;
}

}  // namespace coconsul::dev
