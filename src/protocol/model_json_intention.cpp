// JSON conversions of the intention model types (include/coconsul/model/intention.hpp), with the
// lists and the match answer (a map of lists) the endpoints return.
#include "protocol/json_codec.hpp"

#include <coconsul/detail/connect_intentions.hpp>
#include <coconsul/model/intention.hpp>

#include <map>
#include <string>
#include <vector>

namespace {
using intention_list = std::vector<coconsul::intention>;
using permission_list = std::vector<coconsul::intention_permission>;
using intention_matches = std::map<std::string, std::vector<coconsul::intention>>;
}  // namespace

COCONSUL_JSON_INSTANTIATE(coconsul::intention)
COCONSUL_JSON_INSTANTIATE(intention_list)
COCONSUL_JSON_INSTANTIATE(intention_matches)
COCONSUL_JSON_INSTANTIATE(permission_list)
COCONSUL_JSON_INSTANTIATE(coconsul::connect_authorization)
COCONSUL_JSON_INSTANTIATE(coconsul::connect_authorize_request)
COCONSUL_JSON_INSTANTIATE(coconsul::detail::intention_created)
COCONSUL_JSON_INSTANTIATE(coconsul::detail::intention_checked)
