#pragma once
// The agent's ACL system as one object: the ACL tables, what exists once ACLs are on (Consul's
// initializeACLs: the global-management policy, the anonymous token, the initial management
// token from the configuration), and the reaper that deletes expired tokens when they expire,
// as Consul's leader does (a write: list watchers wake and the table index moves).
// Owned by the agent (dev_agent.cpp); endpoint_context refers to it.

#include "dev_agent/acl/resolve.hpp"
#include "dev_agent/common/log.hpp"
#include "dev_agent/endpoints/agent_controls.hpp"
#include "dev_agent/store/acl_state.hpp"
#include "dev_agent/store/state.hpp"

#include <coconsul/dev_agent_options.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <variant>

namespace coconsul::dev {

class acl_layer {
 public:
  acl_layer(boost::asio::any_io_executor ex, const dev_agent_options& options, state_store& state, const logger& log);
  acl_layer(const acl_layer&) = delete;
  acl_layer& operator=(const acl_layer&) = delete;

  // Writes the builtin objects and the initial management token, once (each its own write, as
  // Consul's leader applies them one by one). Called when ACLs are turned on.
  void initialize();
  bool initialized() const { return initialized_; }
  // Re-arms the reaper for the earliest expiration: call after any token write.
  void token_written();
  void stop();

  // What `secret` may do now (acl/resolve.hpp), with the agent's settings and its tokens as set
  // through /v1/agent/token: everything when ACLs are off. The HTTP endpoints (request_acl) and
  // DNS (with the agent's default token) both ask here. Compiled authorizers are kept by secret
  // while the token, policy and role tables keep their index (Consul caches them for token_ttl;
  // here any ACL write drops them, so a changed rule applies to the very next request).
  std::variant<acl::resolved_token, std::string> authorize(const std::string& secret,
                                                           const agent_controls& controls) const;

  acl_state tables;

 private:
  void arm();

  struct cache {
    std::unordered_map<std::string, acl::resolved_token> tokens;  // by secret: tokens that resolved
    std::uint64_t index = 0;                                      // the ACL tables' index they hold for
  };
  static constexpr std::size_t cache_limit = 4096;  // then it starts over: a bound, not an LRU

  const dev_agent_options& options_;
  state_store& state_;
  const logger& log_;
  boost::asio::steady_timer reaper_;
  bool initialized_ = false;
  bool stopped_ = false;
  mutable cache cache_;
};

}  // namespace coconsul::dev
