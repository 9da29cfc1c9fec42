// Runs the example of docs/model.md: the functions below are the page's own code, extracted
// from it by cmake/extract_snippets.cmake and compiled into this test (test/docs/tests.cmake).
#define BOOST_TEST_MODULE docs_model_example
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>
#include <vector>

// Defined in docs/model.md.
std::string registration_body();
std::vector<std::string> passing_endpoints(std::string_view body);

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
