// The example of docs/model.md, compiled and run so that the documentation stays true.
#include <boost/test/unit_test.hpp>

// --- docs/model.md example begins ---
#include <coconsul/json.hpp>
#include <coconsul/model/health.hpp>
#include <coconsul/model/service.hpp>

#include <string>
#include <vector>

using namespace std::chrono_literals;

std::string registration_body() {
  coconsul::service_registration web{
      .id = "web-1",
      .name = "web",
      .tags = {"v1"},
      .port = 8080,
      .check = coconsul::service_check{
          .http = "http://127.0.0.1:8080/health",
          .interval = 10s,
          .deregister_critical_service_after = 1min,
      },
  };
  // {"ID":"web-1","Name":"web","Tags":["v1"],"Port":8080,"Check":{"HTTP":...,
  //  "Interval":"10s","DeregisterCriticalServiceAfter":"1m0s"}}
  return coconsul::encode_json(web);
}

// The addresses of the passing instances in a /v1/health/service/web answer.
std::vector<std::string> passing_endpoints(std::string_view body) {
  std::vector<std::string> endpoints;
  for (const auto& entry : coconsul::decode_json<std::vector<coconsul::service_entry>>(body)) {
    bool passing = true;
    for (const auto& check : entry.checks) passing = passing && check.status == "passing";
    const auto& address = entry.service.address.empty() ? entry.node.address : entry.service.address;
    if (passing) endpoints.push_back(address + ":" + std::to_string(entry.service.port));
  }
  return endpoints;
}
// --- docs/model.md example ends ---

BOOST_AUTO_TEST_CASE(docs_example_works) {
  BOOST_TEST(registration_body() ==
             R"({"ID":"web-1","Name":"web","Tags":["v1"],"Port":8080,"Check":{)"
             R"("HTTP":"http://127.0.0.1:8080/health","Interval":"10s",)"
             R"("DeregisterCriticalServiceAfter":"1m0s"}})");
  const auto endpoints = passing_endpoints(R"([
    {"Node": {"Node": "a", "Address": "10.0.0.1"}, "Service": {"Service": "web", "Port": 8080},
     "Checks": [{"Status": "passing"}]},
    {"Node": {"Node": "b", "Address": "10.0.0.2"}, "Service": {"Service": "web", "Port": 8080,
     "Address": "10.0.1.2"}, "Checks": [{"Status": "passing"}, {"Status": "passing"}]},
    {"Node": {"Node": "c", "Address": "10.0.0.3"}, "Service": {"Service": "web", "Port": 8080},
     "Checks": [{"Status": "critical"}]}
  ])");
  BOOST_TEST((endpoints == std::vector<std::string>{"10.0.0.1:8080", "10.0.1.2:8080"}));
}
