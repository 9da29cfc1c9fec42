#pragma once
// Internal: the compiled bodies behind connect_api's intention operations
// (src/client/connect_intentions.cpp).

#include <coconsul/detail/async.hpp>
#include <coconsul/model/intention.hpp>
#include <coconsul/query.hpp>

#include <map>
#include <string>
#include <vector>

namespace coconsul::detail {

struct client_state;

using intention_matches = std::map<std::string, std::vector<intention>>;

// The bodies of two answers: create's {"ID": ...} and check's {"Allowed": ...}.
struct intention_created {
  std::string id{};
};
COCONSUL_WIRE_STRUCT(intention_created, (id, "ID"))
struct intention_checked {
  bool allowed = false;
};
COCONSUL_WIRE_STRUCT(intention_checked, (allowed, "Allowed"))

void intention_list(client_state&, query_options, completion_handler<query_result<std::vector<intention>>>);
void intention_get(client_state&, std::string id, query_options, completion_handler<query_result<intention>>);
void intention_get_exact(client_state&, std::string source, std::string destination, query_options,
                         completion_handler<query_result<intention>>);
void intention_create(client_state&, intention, write_options, completion_handler<std::string>);
void intention_update(client_state&, std::string id, intention, write_options, completion_handler<void>);
void intention_delete(client_state&, std::string id, write_options, completion_handler<void>);
void intention_upsert(client_state&, intention, write_options, completion_handler<void>);
void intention_delete_exact(client_state&, std::string source, std::string destination, write_options,
                            completion_handler<void>);
void intention_match(client_state&, intention_match_by, std::vector<std::string> names, query_options,
                     completion_handler<query_result<intention_matches>>);
void intention_check(client_state&, std::string source, std::string destination, query_options,
                     completion_handler<bool>);
void connect_authorize(client_state&, connect_authorize_request, write_options,
                       completion_handler<connect_authorization>);

}  // namespace coconsul::detail
