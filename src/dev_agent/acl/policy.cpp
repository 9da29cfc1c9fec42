// Names of resources and access levels as Consul's texts spell them (acl/authorizer.go,
// acl/policy.go).
#include "dev_agent/acl/policy.hpp"

namespace coconsul::dev::acl {

std::string_view resource_name(resource r) noexcept {
  switch (r) {
    case resource::acl: return "acl";
    case resource::agent: return "agent";
    case resource::event: return "event";
    case resource::intention: return "intention";
    case resource::key: return "key";
    case resource::keyring: return "keyring";
    case resource::node: return "node";
    case resource::operator_: return "operator";
    case resource::mesh: return "mesh";
    case resource::query: return "query";
    case resource::service: return "service";
    case resource::session: return "session";
    case resource::peering: return "peering";
  }
  return "unknown";
}

std::string_view access_name(access a) noexcept {
  switch (a) {
    case access::deny: return "deny";
    case access::read: return "read";
    case access::list: return "list";
    case access::write: return "write";
    case access::unknown: break;
  }
  return "unknown";
}

access access_from_string(std::string_view level) noexcept {
  auto is = [level](std::string_view word) {
    if (level.size() != word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
      const char c = level[i];
      const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      if (lower != word[i]) return false;
    }
    return true;
  };
  if (is("deny")) return access::deny;
  if (is("read")) return access::read;
  if (is("list")) return access::list;
  if (is("write")) return access::write;
  return access::unknown;
}

}  // namespace coconsul::dev::acl
