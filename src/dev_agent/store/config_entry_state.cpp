// The config-entries table (see config_entry_state.hpp).

#include "dev_agent/store/config_entry_state.hpp"

namespace coconsul::dev {

namespace {
using key_view = std::pair<std::string_view, std::string_view>;
}

const config_entry_record* config_entry_state::find(std::string_view kind, std::string_view name) const {
  auto it = entries_.find(key_view{kind, name});
  return it == entries_.end() ? nullptr : &it->second;
}

std::vector<const config_entry_record*> config_entry_state::list(std::string_view kind) const {
  std::vector<const config_entry_record*> out;
  auto it = kind.empty() ? entries_.begin() : entries_.lower_bound(key_view{kind, ""});
  for (; it != entries_.end(); ++it) {
    if (!kind.empty() && it->first.first != kind) break;
    out.push_back(&it->second);
  }
  return out;
}

bool config_entry_state::put(write_txn& w, config_entry_record e, std::optional<std::uint64_t> cas) {
  auto it = entries_.find(key_view{e.kind, e.name});
  // Consul's shouldSkipOperation comes before the CAS check: an identical write succeeds
  // without a write, whatever its cas.
  if (it != entries_.end() && it->second.body == e.body) return true;
  if (cas) {
    if (*cas == 0 && it != entries_.end()) return false;
    if (*cas != 0 && (it == entries_.end() || it->second.modify_index != *cas)) return false;
  }
  e.create_index = it != entries_.end() ? it->second.create_index : w.index();
  e.modify_index = w.index();
  key k{e.kind, e.name};
  entries_.insert_or_assign(std::move(k), std::move(e));
  index_ = w.index();
  w.touch(tbl_config_entries);
  return true;
}

bool config_entry_state::erase(write_txn& w, std::string_view kind, std::string_view name,
                               std::optional<std::uint64_t> cas) {
  auto it = entries_.find(key_view{kind, name});
  if (it == entries_.end()) return true;  // shouldSkipOperation: nothing to delete is a success
  if (cas && it->second.modify_index != *cas) return false;
  entries_.erase(it);
  index_ = w.index();
  w.touch(tbl_config_entries);
  return true;
}

}  // namespace coconsul::dev
