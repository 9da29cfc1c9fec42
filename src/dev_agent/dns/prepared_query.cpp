// Prepared queries for DNS (see prepared_query.hpp): the store's resolution and rendering and
// the one execution the HTTP endpoint uses too (store/prepared_query_execute.hpp).

#include "dev_agent/dns/prepared_query.hpp"

#include "dev_agent/store/prepared_query_execute.hpp"
#include "dev_agent/store/prepared_query_template.hpp"

namespace coconsul::dev::dns {

std::variant<query_run, query_failure> run_query(const query_inputs& in, const std::string& id_or_name,
                                                 std::mt19937& random) {
  auto [found, by_prefix] = in.state.prepared_queries().resolve(id_or_name);
  if (!found) return query_failure::not_found;
  prepared_query_record q = *found;
  if (q.is_template()) {
    auto rendered = render_template(*found, by_prefix ? std::string_view(id_or_name) : std::string_view(found->name));
    if (std::holds_alternative<std::string>(rendered)) return query_failure::failed;
    q = std::get<prepared_query_record>(std::move(rendered));
  }
  std::optional<acl::authorizer> own;
  if (!q.token.empty()) {
    if (in.by_secret) own = in.by_secret(q.token);
    if (!own) return query_failure::failed;
  }
  const acl::authorizer& authz = own ? *own : in.authz;
  instance_visible visible = [&](const service_record& s, const node_record*) {
    return authz.node_read(s.node) && authz.service_read(s.name);
  };
  query_execution how;
  how.agent_node = in.agent_node;
  how.datacenter = in.datacenter;
  how.source_ip = in.source_ip;
  query_result r = execute_query(in.state, q, how, visible, random);
  query_run out;
  out.service = q.service.service;
  out.dns_ttl = q.dns_ttl;
  for (auto& i : r.nodes) out.nodes.push_back(instance{i.service, i.node, std::move(i.checks)});
  return out;
}

}  // namespace coconsul::dev::dns
