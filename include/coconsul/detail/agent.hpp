#pragma once
// Internal: the compiled bodies behind agent_api (src/client/agent.cpp).

#include <coconsul/detail/async.hpp>
#include <coconsul/model/agent.hpp>
#include <coconsul/model/agent_host.hpp>
#include <coconsul/model/check.hpp>
#include <coconsul/model/service.hpp>
#include <coconsul/query.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coconsul {

struct register_options;
enum class gossip_pool;

namespace detail {
struct client_state;

enum class ttl_verb { pass, warn, fail };
struct ttl_change {
  std::string check_id;
  std::string status;            // for update: "passing", "warning" or "critical"
  std::string note;              // Output
  std::optional<ttl_verb> verb;  // pass/warn/fail; nullopt: update
  write_options scope;
};

// A service entering (enable) or leaving maintenance; the reason only when entering.
struct maintenance_change {
  std::string service_id;
  bool enable = false;
  std::string reason;
  write_options scope;
};

void agent_read_self(client_state&, query_options, completion_handler<query_result<agent_self>>);
void agent_read_host(client_state&, query_options, completion_handler<query_result<agent_host>>);
void agent_read_metrics(client_state&, query_options, completion_handler<query_result<agent_metrics>>);
void agent_members(client_state&, gossip_pool, query_options, completion_handler<query_result<std::vector<member>>>);
void agent_services(client_state&, query_options,
                    completion_handler<query_result<std::map<std::string, agent_service>>>);
void agent_read_service(client_state&, std::string, query_options, completion_handler<query_result<agent_service>>);
void agent_checks(client_state&, query_options, completion_handler<query_result<std::map<std::string, agent_check>>>);
void agent_register_service(client_state&, service_registration, register_options, write_options,
                            completion_handler<void>);
void agent_deregister_service(client_state&, std::string, write_options, completion_handler<void>);
void agent_register_check(client_state&, check_registration, write_options, completion_handler<void>);
void agent_deregister_check(client_state&, std::string, write_options, completion_handler<void>);
void agent_ttl(client_state&, ttl_change, completion_handler<void>);
void agent_maintenance(client_state&, maintenance_change, completion_handler<void>);

}  // namespace detail
}  // namespace coconsul
