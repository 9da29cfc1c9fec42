// JSON conversions of Connect's proxy model types (include/coconsul/model/proxy.hpp) and of the
// service parts that carry them (sidecar_service, service_connect in model/service.hpp).
#include "protocol/json_codec.hpp"

#include <coconsul/model/proxy.hpp>
#include <coconsul/model/service.hpp>

namespace {
template <class T> using list = std::vector<T>;
}  // namespace

COCONSUL_JSON_INSTANTIATE(coconsul::mesh_gateway_config)
COCONSUL_JSON_INSTANTIATE(coconsul::transparent_proxy_config)
COCONSUL_JSON_INSTANTIATE(coconsul::expose_path)
COCONSUL_JSON_INSTANTIATE(coconsul::expose_config)
COCONSUL_JSON_INSTANTIATE(coconsul::upstream)
COCONSUL_JSON_INSTANTIATE(list<coconsul::upstream>)
COCONSUL_JSON_INSTANTIATE(coconsul::proxy_config)
COCONSUL_JSON_INSTANTIATE(coconsul::sidecar_service)
COCONSUL_JSON_INSTANTIATE(coconsul::service_connect)
