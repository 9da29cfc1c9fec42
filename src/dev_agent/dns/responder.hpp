#pragma once
// One DNS message in, its reply out: the checks miekg/dns's server makes before Consul sees a
// message (what is not answered, what gets FORMERR or NOTIMP), then the answer (answer.hpp)
// encoded. What the UDP and TCP listeners call; it knows no sockets.

#include "dev_agent/dns/answer.hpp"
#include "dev_agent/store/state.hpp"

#include <coconsul/dev_agent_options.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace coconsul::dev::dns {

// What the agent's default token may do now, asked once per message (the token can change
// through /v1/agent/token/default); nullopt when it does not resolve.
using token_authorizer = std::function<std::optional<acl::authorizer>()>;

// What .ingress. and prepared-query lookups read beyond the catalog (answer_context has them).
struct lookup_sources {
  const config_entry_state* config_entries = nullptr;
  secret_authorizer by_secret;
};

class responder {
 public:
  // `options` has its defaults resolved (the datacenter); both outlive the responder, and so
  // do the config entries of `more`.
  responder(const state_store& state, const dev_agent_options& options, token_authorizer authorize,
            lookup_sources more = lookup_sources());

  // The reply's bytes, or nullopt when none is due: fewer than 12 bytes, or a response (never
  // answered, so two servers cannot ping-pong).
  std::optional<std::vector<std::uint8_t>> respond(std::span<const std::uint8_t> bytes, transport t);

 private:
  const state_store& state_;
  token_authorizer authorize_;
  lookup_sources more_;
  const dev_agent_options::dns_settings& settings_;
  std::string datacenter_;
  std::string domain_;
  std::mt19937 random_;
  std::string node_name_;
};

}  // namespace coconsul::dev::dns
