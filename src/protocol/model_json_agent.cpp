// JSON conversions of the agent-side model types: services, checks, members, agent self, host
// and metrics.
#include "protocol/json_codec.hpp"

#include <coconsul/model/agent.hpp>
#include <coconsul/model/agent_host.hpp>
#include <coconsul/model/check.hpp>
#include <coconsul/model/health.hpp>
#include <coconsul/model/service.hpp>

namespace {
template <class T> using list = std::vector<T>;
template <class T> using by_id = std::map<std::string, T>;
}  // namespace

#define COCONSUL_JSON_INSTANTIATE_ALL(T) \
  COCONSUL_JSON_INSTANTIATE(T)           \
  COCONSUL_JSON_INSTANTIATE(list<T>)     \
  COCONSUL_JSON_INSTANTIATE(by_id<T>)

COCONSUL_JSON_INSTANTIATE_ALL(coconsul::weights)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::service_address)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::service_check)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::service_registration)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::agent_service)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::health_check_definition)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::health_check)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::agent_check)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::check_registration)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::check_update)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::service_entry)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::agent_service_health)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::member)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::agent_config)
COCONSUL_JSON_INSTANTIATE_ALL(coconsul::agent_self)
COCONSUL_JSON_INSTANTIATE(coconsul::agent_host)
COCONSUL_JSON_INSTANTIATE(coconsul::agent_metrics)
