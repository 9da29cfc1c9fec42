#pragma once
// Internal: the compiled body behind txn_api (src/client/txn.cpp).

#include <coconsul/detail/async.hpp>
#include <coconsul/model/txn.hpp>
#include <coconsul/query.hpp>

#include <vector>

namespace coconsul::detail {

struct client_state;

void txn_execute(client_state&, std::vector<txn_op>, write_options, completion_handler<txn_response>);

}  // namespace coconsul::detail
