// JSON conversions of the Connect CA model types (include/coconsul/model/connect.hpp).
#include "protocol/json_codec.hpp"

#include <coconsul/model/connect.hpp>

COCONSUL_JSON_INSTANTIATE(coconsul::ca_root)
COCONSUL_JSON_INSTANTIATE(coconsul::ca_roots)
COCONSUL_JSON_INSTANTIATE(coconsul::ca_provider_config)
COCONSUL_JSON_INSTANTIATE(coconsul::ca_configuration)
COCONSUL_JSON_INSTANTIATE(coconsul::issued_cert)
