#pragma once
// Internal: the compiled bodies behind prepared_query_api (src/client/prepared_query.cpp).

#include <coconsul/detail/async.hpp>
#include <coconsul/model/prepared_query.hpp>
#include <coconsul/query.hpp>

#include <optional>
#include <string>
#include <vector>

namespace coconsul {
// How execute runs: at most `limit` instances (0: all), or the Connect-capable ones. Sorting
// near a node is query_options::near.
struct query_execute_options {
  int limit = 0;
  bool connect = false;
};
}  // namespace coconsul

namespace coconsul::detail {

struct client_state;

void prepared_query_create(client_state&, prepared_query, write_options, completion_handler<std::string>);
void prepared_query_update(client_state&, prepared_query, write_options, completion_handler<void>);
void prepared_query_erase(client_state&, std::string, write_options, completion_handler<void>);
void prepared_query_get(client_state&, std::string, query_options,
                        completion_handler<query_result<std::optional<prepared_query>>>);
void prepared_query_list(client_state&, query_options, completion_handler<query_result<std::vector<prepared_query>>>);
void prepared_query_execute(client_state&, std::string, query_execute_options, query_options,
                            completion_handler<query_result<prepared_query_result>>);
void prepared_query_explain(client_state&, std::string, query_options,
                            completion_handler<query_result<prepared_query>>);

}  // namespace coconsul::detail
