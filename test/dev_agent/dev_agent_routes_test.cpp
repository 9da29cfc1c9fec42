// Which of Consul 1.14's public HTTP routes the dev agent serves: every CE route (the internal
// and the removed legacy ACL ones aside), each with each method Consul accepts on it, sent with a
// token the agent does not know, so that no request changes anything. A route is served when
// the agent neither calls its path unknown (404 "Invalid URL path") nor refuses its method (405).
// The routes not served yet are marked `later`: serving one fails the test until its mark goes.
#define BOOST_TEST_MODULE dev_agent_routes
#include <boost/test/unit_test.hpp>

#include "acl_test_support.hpp"

#include <string>
#include <utility>
#include <vector>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;

namespace {

struct route {
  std::string method;
  std::string path;  // a path on the route
  bool served = true;
};
constexpr bool later = false;  // what issue 16 still has to add

// 137 (method, path) pairs over Consul 1.14's 106 public routes.
const std::vector<route> consul_routes = {
    {"PUT", "/v1/acl/bootstrap"},
    {"POST", "/v1/acl/login"},
    {"POST", "/v1/acl/logout"},
    {"GET", "/v1/acl/replication"},
    {"GET", "/v1/acl/policies"},
    {"PUT", "/v1/acl/policy"},
    {"GET", "/v1/acl/policy/00000000-0000-0000-0000-000000000001"},
    {"PUT", "/v1/acl/policy/00000000-0000-0000-0000-000000000001"},
    {"DELETE", "/v1/acl/policy/00000000-0000-0000-0000-000000000001"},
    {"GET", "/v1/acl/policy/name/global-management"},
    {"GET", "/v1/acl/roles"},
    {"PUT", "/v1/acl/role"},
    {"GET", "/v1/acl/role/name/r"},
    {"GET", "/v1/acl/role/x"},
    {"PUT", "/v1/acl/role/x"},
    {"DELETE", "/v1/acl/role/x"},
    {"GET", "/v1/acl/binding-rules"},
    {"PUT", "/v1/acl/binding-rule"},
    {"GET", "/v1/acl/binding-rule/x"},
    {"PUT", "/v1/acl/binding-rule/x"},
    {"DELETE", "/v1/acl/binding-rule/x"},
    {"GET", "/v1/acl/auth-methods"},
    {"PUT", "/v1/acl/auth-method"},
    {"GET", "/v1/acl/auth-method/m"},
    {"PUT", "/v1/acl/auth-method/m"},
    {"DELETE", "/v1/acl/auth-method/m"},
    {"GET", "/v1/acl/tokens"},
    {"PUT", "/v1/acl/token"},
    {"GET", "/v1/acl/token/self"},
    {"GET", "/v1/acl/token/x"},
    {"PUT", "/v1/acl/token/x"},
    {"DELETE", "/v1/acl/token/x"},
    {"PUT", "/v1/agent/token/default"},
    {"GET", "/v1/agent/self"},
    {"GET", "/v1/agent/host"},
    {"PUT", "/v1/agent/maintenance"},
    {"PUT", "/v1/agent/reload"},
    {"GET", "/v1/agent/monitor"},
    {"GET", "/v1/agent/metrics"},
    {"GET", "/v1/agent/metrics/stream"},
    {"GET", "/v1/agent/services"},
    {"GET", "/v1/agent/service/x"},
    {"GET", "/v1/agent/checks"},
    {"GET", "/v1/agent/members"},
    {"PUT", "/v1/agent/join/x"},
    {"PUT", "/v1/agent/leave"},
    {"PUT", "/v1/agent/force-leave/x"},
    {"GET", "/v1/agent/health/service/id/x"},
    {"GET", "/v1/agent/health/service/name/x"},
    {"PUT", "/v1/agent/check/register"},
    {"PUT", "/v1/agent/check/deregister/x"},
    {"PUT", "/v1/agent/check/pass/x"},
    {"PUT", "/v1/agent/check/warn/x"},
    {"PUT", "/v1/agent/check/fail/x"},
    {"PUT", "/v1/agent/check/update/x"},
    {"POST", "/v1/agent/connect/authorize"},
    {"GET", "/v1/agent/connect/ca/roots"},
    {"GET", "/v1/agent/connect/ca/leaf/x"},
    {"PUT", "/v1/agent/service/register"},
    {"PUT", "/v1/agent/service/deregister/x"},
    {"PUT", "/v1/agent/service/maintenance/x"},
    {"PUT", "/v1/catalog/register"},
    {"GET", "/v1/catalog/connect/x"},
    {"PUT", "/v1/catalog/deregister"},
    {"GET", "/v1/catalog/datacenters"},
    {"GET", "/v1/catalog/nodes"},
    {"GET", "/v1/catalog/services"},
    {"GET", "/v1/catalog/service/x"},
    {"GET", "/v1/catalog/node/x"},
    {"GET", "/v1/catalog/node-services/x", later},
    {"GET", "/v1/catalog/gateway-services/x"},
    {"GET", "/v1/config/x"},
    {"DELETE", "/v1/config/x"},
    {"PUT", "/v1/config"},
    {"GET", "/v1/connect/ca/configuration"},
    {"PUT", "/v1/connect/ca/configuration"},
    {"GET", "/v1/connect/ca/roots"},
    {"GET", "/v1/connect/intentions"},
    {"POST", "/v1/connect/intentions"},
    {"GET", "/v1/connect/intentions/match"},
    {"GET", "/v1/connect/intentions/check"},
    {"GET", "/v1/connect/intentions/exact"},
    {"PUT", "/v1/connect/intentions/exact"},
    {"DELETE", "/v1/connect/intentions/exact"},
    {"GET", "/v1/connect/intentions/x"},
    {"PUT", "/v1/connect/intentions/x"},
    {"DELETE", "/v1/connect/intentions/x"},
    {"GET", "/v1/coordinate/datacenters", later},
    {"GET", "/v1/coordinate/nodes", later},
    {"GET", "/v1/coordinate/node/x", later},
    {"PUT", "/v1/coordinate/update", later},
    {"GET", "/v1/discovery-chain/x"},
    {"POST", "/v1/discovery-chain/x"},
    {"PUT", "/v1/event/fire/x"},
    {"GET", "/v1/event/list"},
    {"GET", "/v1/health/node/x"},
    {"GET", "/v1/health/checks/x"},
    {"GET", "/v1/health/state/x"},
    {"GET", "/v1/health/service/x"},
    {"GET", "/v1/health/connect/x"},
    {"GET", "/v1/health/ingress/x"},
    {"GET", "/v1/kv/x"},
    {"PUT", "/v1/kv/x"},
    {"DELETE", "/v1/kv/x"},
    {"GET", "/v1/operator/raft/configuration", later},
    {"DELETE", "/v1/operator/raft/peer", later},
    {"GET", "/v1/operator/keyring", later},
    {"POST", "/v1/operator/keyring", later},
    {"PUT", "/v1/operator/keyring", later},
    {"DELETE", "/v1/operator/keyring", later},
    {"GET", "/v1/operator/autopilot/configuration", later},
    {"PUT", "/v1/operator/autopilot/configuration", later},
    {"GET", "/v1/operator/autopilot/health", later},
    {"GET", "/v1/operator/autopilot/state", later},
    {"POST", "/v1/peering/token", later},
    {"POST", "/v1/peering/establish", later},
    {"GET", "/v1/peering/x", later},
    {"DELETE", "/v1/peering/x", later},
    {"GET", "/v1/peerings", later},
    {"GET", "/v1/query"},
    {"POST", "/v1/query"},
    {"GET", "/v1/query/x"},
    // Consul registers /v1/query/ with no methods and answers POST on a query with 405.
    {"GET", "/v1/query/x/execute"},
    {"GET", "/v1/query/x/explain"},
    {"PUT", "/v1/query/x"},
    {"DELETE", "/v1/query/x"},
    {"PUT", "/v1/session/create"},
    {"PUT", "/v1/session/destroy/x"},
    {"PUT", "/v1/session/renew/x"},
    {"GET", "/v1/session/info/x"},
    {"GET", "/v1/session/node/x"},
    {"GET", "/v1/session/list"},
    {"GET", "/v1/status/leader"},
    {"GET", "/v1/status/peers"},
    {"GET", "/v1/snapshot", later},
    {"PUT", "/v1/snapshot", later},
    {"PUT", "/v1/txn"},
};

}  // namespace

BOOST_AUTO_TEST_CASE(every_public_consul_route_is_served_but_those_marked_later) {
  BOOST_TEST(consul_routes.size() == 137u);
  agent_fixture f(deny_by_default_options(acl_root));
  f.run([&]() -> asio::awaitable<void> {
    agent_client c(f.agent, f.ioc.get_executor());
    for (const route& rt : consul_routes) {
      auto r = co_await acl_call(c, rt.method, rt.path, "{}", "00000000-aaaa-bbbb-cccc-000000000000");
      bool unknown_path = r.status == 404u && r.body.starts_with("Invalid URL path");
      bool served = !unknown_path && r.status != 405u;
      BOOST_TEST(served == rt.served, rt.method << " " << rt.path << ": " << r.status << " " << r.body.substr(0, 80));
    }
  }());
}
