// The ACL system's start and its token reaper (see acl_layer.hpp).

#include "dev_agent/endpoints/acl_layer.hpp"

#include "dev_agent/acl/identities.hpp"
#include "dev_agent/common/uuid.hpp"

namespace coconsul::dev {

acl_layer::acl_layer(boost::asio::any_io_executor ex, const dev_agent_options& options, state_store& state,
                     const logger& log)
    : options_(options), state_(state), log_(log), reaper_(std::move(ex)) {}

void acl_layer::initialize() {
  if (initialized_) return;
  initialized_ = true;
  auto now = std::chrono::system_clock::now();
  {
    write_txn w(state_);
    acl_policy_record p;
    p.id = acl_global_management_id;
    p.name = "global-management";
    p.description = "Builtin Policy that grants unlimited access";
    p.rules = std::string(acl::global_management_rules());
    tables.put_policy(w, std::move(p));
  }
  {
    write_txn w(state_);
    acl_token_record t;
    t.accessor_id = acl_anonymous_id;
    t.secret_id = "anonymous";
    t.description = "Anonymous Token";
    t.create_time = now;
    tables.put_token(w, std::move(t));
  }
  log_.log(log_level::info, "agent.server.acl", "Created ACL anonymous token from configuration");
  const std::string& secret = options_.acl.tokens.initial_management;
  if (!secret.empty() && !tables.token_by_secret(secret)) {
    // Consul bootstraps with it when it still can, so a later /v1/acl/bootstrap is refused.
    write_txn w(state_);
    acl_token_record t;
    t.accessor_id = generate_uuid();
    t.secret_id = secret;
    t.description = "Initial Management Token";
    t.policies.push_back(acl_link{acl_global_management_id, ""});
    t.create_time = now;
    tables.put_token(w, std::move(t));
    if (tables.bootstrap_index() == 0) tables.mark_bootstrapped(w);
    log_.log(log_level::info, "agent.server.acl", "Bootstrapped ACL initial management token from configuration");
  }
}

std::variant<acl::resolved_token, std::string> acl_layer::authorize(const std::string& secret,
                                                                   const agent_controls& controls) const {
  if (!controls.acl_enabled) return acl::resolved_token{"", acl::authorizer::manage_all()};
  acl::resolve_settings settings;
  settings.datacenter = options_.datacenter;
  settings.fallback = options_.acl.default_policy == "deny" ? acl::default_policy::deny : acl::default_policy::allow;
  settings.node_name = options_.node_name;
  if (auto it = controls.tokens.find("agent_recovery"); it != controls.tokens.end()) settings.agent_recovery = it->second;
  if (!secret.empty() && secret == settings.agent_recovery) return acl::resolve_token(tables, secret, settings);

  const std::uint64_t index = state_.table_index(tbl_acl_tokens | tbl_acl_policies | tbl_acl_roles);
  if (index != cache_.index || cache_.tokens.size() >= cache_limit) {
    cache_.tokens.clear();
    cache_.index = index;
  }
  if (auto it = cache_.tokens.find(secret); it != cache_.tokens.end()) {
    if (!it->second.expires || std::chrono::system_clock::now() < *it->second.expires) return it->second;
    cache_.tokens.erase(it);  // expired before the reaper came: resolve says "ACL not found"
  }
  auto resolved = acl::resolve_token(tables, secret, settings);
  if (auto* token = std::get_if<acl::resolved_token>(&resolved)) cache_.tokens.emplace(secret, *token);
  return resolved;
}

void acl_layer::token_written() { arm(); }

void acl_layer::arm() {
  if (stopped_) return;
  auto next = tables.next_expiry();
  if (!next) {
    reaper_.cancel();
    return;
  }
  auto in = *next - std::chrono::system_clock::now();
  reaper_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(in));
  reaper_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // re-armed or stopped: `this` may be gone, touch nothing
    auto now = std::chrono::system_clock::now();
    if (auto due = tables.next_expiry(); due && *due <= now) {  // a write only when one is due
      write_txn w(state_);
      std::size_t n = tables.reap_expired(w, now);
      log_.log(log_level::debug, "agent.server.acl", "Reaped expired ACL tokens: count=" + std::to_string(n));
    }
    arm();
  });
}

void acl_layer::stop() {
  stopped_ = true;
  reaper_.cancel();
}

}  // namespace coconsul::dev
