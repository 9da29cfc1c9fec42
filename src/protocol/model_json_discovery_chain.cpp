// JSON conversions of the compiled discovery chain (include/coconsul/model/discovery_chain.hpp).
#include "protocol/json_codec.hpp"

#include <coconsul/model/discovery_chain.hpp>

COCONSUL_JSON_INSTANTIATE(coconsul::compiled_discovery_chain)
COCONSUL_JSON_INSTANTIATE(coconsul::discovery_chain_response)
