// The store read for DNS: healthy instances and nodes by name, case-insensitively. The store's
// indexes are exact-case, so a name is matched over every service (or node); a dev agent's
// catalog is small, and a DNS question is no watcher that repeats the read.

#include "dev_agent/dns/catalog.hpp"

#include "dev_agent/config_entries/gateway_services.hpp"
#include "dev_agent/dns/names.hpp"
#include "dev_agent/store/prepared_query_execute.hpp"

#include <algorithm>

namespace coconsul::dev::dns {
namespace {

bool has_tag(const service_record& s, const std::string& tag) {
  if (tag.empty()) return true;
  return std::any_of(s.tags.begin(), s.tags.end(), [&](const std::string& t) { return lower_ascii(t) == tag; });
}

bool maintenance(const check_record& c) {
  return c.check_id == "_node_maintenance" || c.check_id.rfind("_service_maintenance:", 0) == 0;
}

// What every selection does after choosing: ACLs on each instance, then its health.
void keep_healthy(const state_store& state, const acl::authorizer& authz, const service_record* s, bool only_passing,
                  std::vector<instance>& out) {
  if (!authz.service_read(s->name) || !authz.node_read(s->node)) return;
  instance i{s, state.node(s->node), state.instance_checks(*s)};
  bool failing = std::any_of(i.checks.begin(), i.checks.end(), [&](const check_record* c) {
    return c->status == "critical" || (only_passing && c->status != "passing");
  });
  if (!failing) out.push_back(std::move(i));
}

}  // namespace

std::vector<instance> connect_instances(const state_store& state, const acl::authorizer& authz, const std::string& name,
                                        bool only_passing) {
  std::vector<instance> out;
  if (!authz.service_read(name)) return out;
  for (const service_record* s : connect_capable(state, name)) keep_healthy(state, authz, s, only_passing, out);
  return out;
}

std::vector<instance> ingress_instances(const state_store& state, const config_entry_state* entries,
                                        const acl::authorizer& authz, const std::string& name, bool only_passing) {
  std::vector<instance> out;
  if (!entries || !authz.service_read(name)) return out;
  // Config entry names keep their case; a DNS name is lower case: match the service in any case.
  std::string service = name;
  for (const service_record* s : state.all_services())
    if (lower_ascii(s->name) == name) {
      service = s->name;
      break;
    }
  for (const auto& gateway : config_entries::gateways_of_service(*entries, state, service, "ingress-gateway"))
    for (const service_record* s : state.service_instances(gateway))
      if (s->kind == "ingress-gateway") keep_healthy(state, authz, s, only_passing, out);
  return out;
}

std::vector<instance> healthy_instances(const state_store& state, const acl::authorizer& authz, const std::string& name,
                                        const std::string& tag, bool only_passing) {
  const std::string want_tag = lower_ascii(tag);
  std::vector<instance> out;
  for (const service_record* s : state.all_services()) {
    if (lower_ascii(s->name) != name || !has_tag(*s, want_tag)) continue;
    keep_healthy(state, authz, s, only_passing, out);
  }
  return out;
}

const node_record* find_node(const state_store& state, const acl::authorizer& authz, const std::string& name) {
  const std::string want = lower_ascii(name);
  const node_record* found = state.node(name);
  for (const node_record* n : state.nodes()) {
    if (found) break;
    if (lower_ascii(n->name) == want) found = n;
  }
  return found && authz.node_read(found->name) ? found : nullptr;
}

int srv_weight(const instance& i) {
  // api.HealthChecks.AggregatedStatus: maintenance, then critical, then warning, then passing.
  bool warning = false, critical = false, maint = false, other = false;
  for (const check_record* c : i.checks) {
    if (maintenance(*c)) maint = true;
    else if (c->status == "critical") critical = true;
    else if (c->status == "warning") warning = true;
    else if (c->status != "passing") other = true;
  }
  if (maint || critical) return 0;
  if (warning) return i.service->weight_warning;
  if (other) return 1;
  return i.service->weight_passing;
}

}  // namespace coconsul::dev::dns
