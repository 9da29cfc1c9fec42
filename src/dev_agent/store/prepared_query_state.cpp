// The prepared-queries table (see prepared_query_state.hpp). Names match in any case, as
// Consul's name and template indexes are lower-cased; a dev agent holds few queries, so the
// lookups scan the table instead of keeping those indexes.

#include "dev_agent/store/prepared_query_state.hpp"

#include "dev_agent/store/state.hpp"

#include <algorithm>

namespace coconsul::dev {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

}  // namespace

const prepared_query_record* prepared_query_state::find(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

std::vector<const prepared_query_record*> prepared_query_state::list() const {
  std::vector<const prepared_query_record*> out;
  for (const auto& [_, q] : by_id_) out.push_back(&q);
  return out;
}

prepared_query_state::resolution prepared_query_state::resolve(std::string_view id_or_name) const {
  if (id_or_name.empty()) return {};
  // Consul's ID index is a UUID index: any case.
  const std::string want = lower(id_or_name);
  for (const auto& [id, q] : by_id_)
    if (lower(id) == want) return {&q, false};
  for (const auto& [_, q] : by_id_)
    if (!q.name.empty() && lower(q.name) == want) return {&q, false};
  const prepared_query_record* best = nullptr;
  for (const auto& [_, q] : by_id_) {
    if (!q.is_template()) continue;
    const std::string prefix = lower(q.name);
    if (want.compare(0, prefix.size(), prefix) != 0) continue;
    if (!best || prefix.size() > best->name.size()) best = &q;
  }
  return {best, best != nullptr};
}

std::string prepared_query_state::put(write_txn& w, prepared_query_record q) {
  if (q.id.empty()) return "Missing query ID";
  const prepared_query_record* existing = find(q.id);
  const std::string name = lower(q.name);
  for (const auto& [id, other] : by_id_) {
    if (id == q.id) continue;
    if (!q.name.empty() && lower(other.name) == name) return "name '" + q.name + "' aliases an existing query name";
    if (q.name.empty() && q.is_template() && other.is_template() && other.name.empty())
      return "a query template with an empty name already exists";
  }
  // A name may not be another query's ID: queries are found by either, and such a name would
  // take over a query its author may not change.
  if (!q.name.empty())
    for (const auto& [id, _] : by_id_)
      if (lower(id) == name) return "name '" + q.name + "' aliases an existing query ID";
  q.create_index = existing ? existing->create_index : w.index();
  q.modify_index = w.index();
  std::string id = q.id;
  by_id_.insert_or_assign(std::move(id), std::move(q));
  index_ = w.index();
  w.touch(tbl_prepared_queries);
  return {};
}

bool prepared_query_state::erase(write_txn& w, std::string_view id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return false;
  by_id_.erase(it);
  index_ = w.index();
  w.touch(tbl_prepared_queries);
  return true;
}

void prepared_query_state::erase_session(write_txn& w, std::string_view session_id) {
  for (auto it = by_id_.begin(); it != by_id_.end();) {
    if (!it->second.session.empty() && it->second.session == session_id) {
      it = by_id_.erase(it);
      index_ = w.index();
      w.touch(tbl_prepared_queries);
    } else {
      ++it;
    }
  }
}

}  // namespace coconsul::dev
