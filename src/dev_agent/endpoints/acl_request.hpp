#pragma once
// Who a request acts as, and what it may do: the one ACL mechanism every endpoint uses. The
// token is resolved when an endpoint first asks (as Consul resolves it where an endpoint
// checks, so a route that checks nothing works with any token), then compiled into an
// authorizer: the token's policies, its roles' policies and identities, its own identities'
// synthetic policies, over the default policy. With ACLs off every decision allows.
//
// An endpoint either denies (`require`: 403 with Consul's text naming the permission) or
// filters (`filter`/`visible`: what the caller may not see is left out, and the response says
// so with X-Consul-Results-Filtered-By-ACLs, which dispatch adds).

#include "dev_agent/acl/authorizer.hpp"
#include "dev_agent/http/message.hpp"

#include <algorithm>
#include <optional>
#include <string>

namespace coconsul::dev {

struct endpoint_context;

class request_acl {
 public:
  // For one request; `agent` and `req` must outlive it.
  request_acl(const endpoint_context& agent, const http_request& req) : agent_(&agent), req_(&req) {}
  // Everything allowed: ACLs off, or the agent acting for itself (definitions at start).
  static const request_acl& management();

  // The caller's authorizer. Resolves the token on the first call: throws http_error 403
  // "ACL not found" for a secret no live token has.
  const acl::authorizer& authz() const;
  // The caller's AccessorID ("" with ACLs off), for denial texts.
  const std::string& accessor_id() const;
  // The secret the request acts with ("" with ACLs off, or for the anonymous token).
  const std::string& secret() const;

  // Throws http_error 403 with Consul's denial text unless `v` allows.
  void require(const acl::verdict& v) const;

  // Whether the caller may see an element; counts a refusal for the filtered header.
  bool visible(const acl::verdict& v) const;
  // Erases the elements of a container for which visible(decide(element)) is false.
  template <class Container, class Decide>
  void filter(Container& items, Decide decide) const {
    items.erase(std::remove_if(items.begin(), items.end(), [&](const auto& e) { return !visible(decide(e)); }),
                items.end());
  }

  // Whether X-Consul-Results-Filtered-By-ACLs: true belongs on the response: something was left
  // out, and a token was used (Consul's QueryMeta.ResultsFilteredByACLs is set only then).
  bool results_filtered() const { return filtered_ && !secret_.empty(); }

 private:
  request_acl() = default;
  void resolve() const;

  const endpoint_context* agent_ = nullptr;
  const http_request* req_ = nullptr;
  mutable std::optional<acl::authorizer> authz_;  // resolved on first use
  mutable std::string accessor_;
  mutable std::string secret_;
  mutable bool filtered_ = false;
};

}  // namespace coconsul::dev
