// Target IDs, SNI and rewrites (see chain_targets.hpp).

#include "dev_agent/config_entries/chain_targets.hpp"

namespace coconsul::dev::config_entries {

namespace {
std::string joined(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) {
    if (!out.empty()) out += '.';
    out += p;
  }
  return out;
}
}  // namespace

std::string target_id(const target_opts& t) {
  if (!t.peer.empty()) return joined({t.service, t.namespace_, "default", "external", t.peer});
  if (t.service_subset.empty()) return joined({t.service, t.namespace_, t.partition, t.datacenter});
  return joined({t.service_subset, t.service, t.namespace_, t.partition, t.datacenter});
}

std::string target_sni(const target_opts& t, std::string_view trust_domain) {
  std::string_view ns = t.namespace_.empty() ? std::string_view("default") : std::string_view(t.namespace_);
  std::string_view partition = t.partition.empty() ? std::string_view("default") : std::string_view(t.partition);
  std::string out = t.service_subset.empty() ? std::string() : t.service_subset + ".";
  if (partition == "default") return out + joined({t.service, ns, t.datacenter, "internal", trust_domain});
  return out + joined({t.service, ns, partition, t.datacenter, "internal-v1", trust_domain});
}

target_opts rewrite_target(const target_opts& t, const target_opts& with) {
  target_opts out = t;
  if (!with.service.empty() && with.service != out.service) {
    out.service = with.service;
    out.service_subset.clear();
  }
  if (!with.service_subset.empty()) out.service_subset = with.service_subset;
  if (!with.partition.empty()) out.partition = with.partition;
  if (!with.namespace_.empty() || !with.peer.empty()) out.namespace_ = with.namespace_;
  if (!with.datacenter.empty()) out.datacenter = with.datacenter;
  out.peer = with.peer;
  return out;
}

}  // namespace coconsul::dev::config_entries
