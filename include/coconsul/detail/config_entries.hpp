#pragma once
// Internal: the compiled bodies behind config_api (src/client/config_entries.cpp), and the
// lookup the config entry watch uses (a missing entry is an empty value, not an error).

#include <coconsul/detail/async.hpp>
#include <coconsul/model/config_entry.hpp>
#include <coconsul/query.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coconsul::detail {

struct client_state;

void config_set(client_state&, config_entry, std::optional<std::uint64_t> cas, write_options,
                completion_handler<bool>);
void config_get(client_state&, std::string kind, std::string name, query_options,
                completion_handler<query_result<config_entry>>);
void config_find(client_state&, std::string kind, std::string name, query_options,
                 completion_handler<query_result<std::optional<config_entry>>>);
void config_list(client_state&, std::string kind, query_options,
                 completion_handler<query_result<std::vector<config_entry>>>);
void config_delete(client_state&, std::string kind, std::string name, write_options, completion_handler<void>);
void config_delete_cas(client_state&, std::string kind, std::string name, std::uint64_t index, write_options,
                       completion_handler<bool>);

}  // namespace coconsul::detail
