// JSON conversions of the prepared-query model types (coconsul/model/prepared_query.hpp).
#include "protocol/json_codec.hpp"

#include <coconsul/model/prepared_query.hpp>

namespace {
template <class T> using list = std::vector<T>;
}  // namespace

COCONSUL_JSON_INSTANTIATE(coconsul::prepared_query)
COCONSUL_JSON_INSTANTIATE(list<coconsul::prepared_query>)
COCONSUL_JSON_INSTANTIATE(coconsul::prepared_query_created)
COCONSUL_JSON_INSTANTIATE(coconsul::prepared_query_result)
COCONSUL_JSON_INSTANTIATE(coconsul::prepared_query_explanation)
