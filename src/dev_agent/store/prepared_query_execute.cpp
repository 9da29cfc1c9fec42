// Executing a prepared query (see prepared_query_execute.hpp). Distance: this agent keeps no
// network coordinates, so Consul's RTT sort leaves the shuffled order as it is and only the
// placement of the ?near node first applies (docs/prepared-queries.md).

#include "dev_agent/store/prepared_query_execute.hpp"

#include <algorithm>
#include <set>

namespace coconsul::dev {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// structs.SatisfiesMetaFilters: every key with exactly that value.
bool meta_matches(const std::map<std::string, std::string>& meta, const std::map<std::string, std::string>& want) {
  for (const auto& [k, v] : want) {
    auto it = meta.find(k);
    if (it == meta.end() || it->second != v) return false;
  }
  return true;
}

// tagFilter: all the required tags and none of the "!" ones, in any case.
bool tags_match(const service_record& s, const std::vector<std::string>& filters) {
  std::set<std::string> have;
  for (const auto& t : s.tags) have.insert(lower(t));
  for (const auto& f : filters) {
    std::string t = lower(f);
    bool negated = !t.empty() && t[0] == '!';
    if (negated) t.erase(0, 1);
    if (have.count(t) == (negated ? 1u : 0u)) return false;
  }
  return true;
}

// FilterIgnore: out with a critical check, or with OnlyPassing any check not passing; the
// ignored check IDs do not count.
bool healthy(const query_instance& i, const prepared_query_record::service_query& sq) {
  for (const auto* c : i.checks) {
    if (sq.ignore_check_ids &&
        std::find(sq.ignore_check_ids->begin(), sq.ignore_check_ids->end(), c->check_id) != sq.ignore_check_ids->end())
      continue;
    if (c->status == "critical" || (sq.only_passing && c->status != "passing")) return false;
  }
  return true;
}

}  // namespace

std::vector<const service_record*> connect_capable(const state_store& state, const std::string& name) {
  const std::string want = lower(name);
  std::vector<const service_record*> out;
  for (const auto* s : state.all_services()) {
    bool proxy = s->kind == "connect-proxy" && lower(s->proxy.destination_service_name) == want;
    if (proxy || (s->connect_native && lower(s->name) == want)) out.push_back(s);
  }
  return out;
}

query_result execute_query(const state_store& state, const prepared_query_record& q, const query_execution& how,
                           const instance_visible& visible, std::mt19937& random) {
  const auto& sq = q.service;
  std::vector<const service_record*> selected;
  if (sq.connect || how.connect) {
    selected = connect_capable(state, sq.service);
  } else {
    // Consul's service index is lower-cased: the name matches in any case.
    const std::string want = lower(sq.service);
    for (const auto* s : state.all_services())
      if (lower(s->name) == want) selected.push_back(s);
  }
  query_result r;
  r.datacenter = how.datacenter;
  for (const auto* s : selected) {
    query_instance i{s, state.node(s->node), state.instance_checks(*s)};
    if (!healthy(i, sq)) continue;
    if (sq.node_meta && !sq.node_meta->empty() && (!i.node || !meta_matches(i.node->meta, *sq.node_meta))) continue;
    if (sq.service_meta && !sq.service_meta->empty() && !meta_matches(s->meta, *sq.service_meta)) continue;
    if (sq.tags && !sq.tags->empty() && !tags_match(*s, *sq.tags)) continue;
    if (!visible(*s, i.node)) continue;
    r.nodes.push_back(std::move(i));
  }
  std::shuffle(r.nodes.begin(), r.nodes.end(), random);

  // The source: ?near, else the query's Near; "_agent" is this agent's node, "_ip" the node
  // with the source address (none: no placement).
  std::string near = !how.near.empty() ? how.near : sq.near;
  if (near == "_agent") {
    near = how.agent_node;
  } else if (near == "_ip") {
    near.clear();
    if (!how.source_ip.empty())
      for (const auto* n : state.nodes())
        if (n->address == how.source_ip) {
          near = n->name;
          break;
        }
  }
  // The node asked for goes first, searched among the first ten, as Consul does after its sort.
  if (!near.empty())
    for (std::size_t i = 0; i < r.nodes.size() && i < 10; ++i)
      if (r.nodes[i].service->node == near) {
        std::swap(r.nodes[0], r.nodes[i]);
        break;
      }
  if (how.limit > 0 && r.nodes.size() > static_cast<std::size_t>(how.limit)) r.nodes.resize(static_cast<std::size_t>(how.limit));
  // Failover (queryFailover) tries the other datacenters it knows, nearest first: this agent
  // knows none but its own, so every NearestN, Datacenters and Targets entry is skipped as
  // unknown and Failovers stays 0.
  return r;
}

}  // namespace coconsul::dev
