// Service and node identities' synthetic policies as Consul 1.14 CE builds them (the same
// templates, tabs and all, descriptions and IDs: Consul's ID is fmt.Sprintf("%x",
// fnv.New128a().Sum(rules)), the rules' bytes in hex then the hash of nothing).
#include "dev_agent/acl/identities.hpp"

#include <algorithm>

namespace coconsul::dev::acl {

namespace {

// FNV-128a of no input: its offset basis.
constexpr std::string_view fnv128a_empty = "6c62272e07bb014262b821756295c58d";

std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2 + fnv128a_empty.size());
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

void finish(synthetic_policy& p) {
  p.id = hex(p.rules_text);
  p.id += fnv128a_empty;
  p.name = "synthetic-policy-" + p.id;
}

// Go's %q for the names Consul lets through (validated names have nothing to escape).
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

rule write(std::string name) { return rule{std::move(name), "write", ""}; }
rule read(std::string name) { return rule{std::move(name), "read", ""}; }

}  // namespace

synthetic_policy synthesize(const service_identity& id) {
  synthetic_policy p;
  const std::string& n = id.service_name;
  p.rules_text = "\nservice \"" + n + "\" {\n\tpolicy = \"write\"\n}\nservice \"" + n +
                 "-sidecar-proxy\" {\n\tpolicy = \"write\"\n}\nservice_prefix \"\" {\n\tpolicy = \"read\"\n}\nnode_prefix \"\" {\n\tpolicy = \"read\"\n}";
  p.rules.services = {write(n), write(n + "-sidecar-proxy")};
  p.rules.service_prefixes = {read("")};
  p.rules.node_prefixes = {read("")};
  p.description = "synthetic policy for service identity " + quoted(n);
  p.datacenters = id.datacenters;
  finish(p);
  return p;
}

synthetic_policy synthesize(const node_identity& id) {
  synthetic_policy p;
  const std::string& n = id.node_name;
  p.rules_text = "\nnode \"" + n + "\" {\n\tpolicy = \"write\"\n}\nservice_prefix \"\" {\n\tpolicy = \"read\"\n}";
  p.rules.nodes = {write(n)};
  p.rules.service_prefixes = {read("")};
  p.description = "synthetic policy for node identity " + quoted(n);
  p.datacenters = {id.datacenter};
  finish(p);
  return p;
}

bool applies_in(const std::vector<std::string>& datacenters, std::string_view datacenter) {
  return datacenters.empty() || std::find(datacenters.begin(), datacenters.end(), datacenter) != datacenters.end();
}

std::vector<policy_rules> rules_in(std::string_view datacenter, std::span<const scoped_rules> policies,
                                   std::span<const service_identity> services, std::span<const node_identity> nodes) {
  std::vector<policy_rules> out;
  for (const auto& p : policies)
    if (applies_in(p.datacenters, datacenter)) out.push_back(p.rules);
  for (const auto& s : services) {
    auto p = synthesize(s);
    if (applies_in(p.datacenters, datacenter)) out.push_back(std::move(p.rules));
  }
  for (const auto& n : nodes) {
    auto p = synthesize(n);
    if (applies_in(p.datacenters, datacenter)) out.push_back(std::move(p.rules));
  }
  return out;
}

std::string_view global_management_rules() {
  return "\nacl = \"write\"\nagent_prefix \"\" {\n\tpolicy = \"write\"\n}\nevent_prefix \"\" {\n\tpolicy = \"write\"\n}\nkey_prefix \"\" {\n\tpolicy = \"write\"\n}\n"
         "keyring = \"write\"\nnode_prefix \"\" {\n\tpolicy = \"write\"\n}\noperator = \"write\"\nmesh = \"write\"\npeering = \"write\"\nquery_prefix \"\" {\n\tpolicy = \"write\"\n}\n"
         "service_prefix \"\" {\n\tpolicy = \"write\"\n\tintentions = \"write\"\n}\nsession_prefix \"\" {\n\tpolicy = \"write\"\n}";
}

}  // namespace coconsul::dev::acl
