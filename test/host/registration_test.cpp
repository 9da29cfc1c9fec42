// The registration plan without I/O: check IDs numbered as Consul numbers them, a check's own
// URL kept, and what validation says is wrong.

#define BOOST_TEST_MODULE host_registration
#include <boost/test/unit_test.hpp>

#include "host/registration.hpp"

using namespace std::chrono_literals;

namespace {

coconsul::service_check ttl_check(std::chrono::nanoseconds ttl) {
  coconsul::service_check c;
  c.ttl = ttl;
  return c;
}

}  // namespace

BOOST_AUTO_TEST_CASE(one_check_gets_the_plain_default_id) {
  coconsul::service_host_options o;
  o.service.name = "web";  // no ID: the name is the ID
  o.service.check = ttl_check(9s);
  auto plan = coconsul::detail::plan_registration(o, "");
  BOOST_TEST(plan.registration.id == "web");
  BOOST_TEST(!plan.registration.check.has_value());
  BOOST_REQUIRE(plan.registration.checks.size() == 1u);
  BOOST_TEST(plan.registration.checks[0].check_id == "service:web");
  BOOST_REQUIRE(plan.ttl_checks.size() == 1u);
  BOOST_TEST(plan.ttl_checks[0].check_id == "service:web");
  BOOST_TEST((plan.ttl_checks[0].ttl == 9s));
}

BOOST_AUTO_TEST_CASE(several_checks_are_numbered_in_consuls_order) {
  coconsul::service_host_options o;
  o.service.name = "web";
  o.service.id = "web-1";
  o.service.check = ttl_check(10s);
  auto own = ttl_check(20s);
  own.check_id = "mine";
  o.service.checks.push_back(own);
  o.service.checks.push_back(ttl_check(30s));
  o.health_endpoint = coconsul::health_endpoint_options();
  o.http_check = coconsul::service_check();
  auto plan = coconsul::detail::plan_registration(o, "http://127.0.0.1:1234/check");
  const auto& checks = plan.registration.checks;
  BOOST_REQUIRE(checks.size() == 4u);
  BOOST_TEST(checks[0].check_id == "service:web-1:1");
  BOOST_TEST(checks[1].check_id == "mine");
  BOOST_TEST(checks[2].check_id == "service:web-1:3");
  BOOST_TEST(checks[3].check_id == "service:web-1:4");
  BOOST_TEST(checks[3].http == "http://127.0.0.1:1234/check");
  BOOST_TEST((checks[3].interval == 10s));  // the default interval
  BOOST_REQUIRE(plan.ttl_checks.size() == 3u);
  BOOST_TEST(plan.ttl_checks[1].check_id == "mine");
}

BOOST_AUTO_TEST_CASE(an_http_check_with_its_own_url_keeps_it) {
  coconsul::service_host_options o;
  o.service.name = "web";
  o.http_check = coconsul::service_check();
  o.http_check->http = "http://10.0.0.1/health";
  o.http_check->interval = 3s;
  coconsul::detail::validate(o);  // no endpoint needed
  auto plan = coconsul::detail::plan_registration(o, "");
  BOOST_REQUIRE(plan.registration.checks.size() == 1u);
  BOOST_TEST(plan.registration.checks[0].http == "http://10.0.0.1/health");
  BOOST_TEST((plan.registration.checks[0].interval == 3s));
  BOOST_TEST(plan.ttl_checks.empty());
}

BOOST_AUTO_TEST_CASE(validation_says_what_is_wrong) {
  auto message_of = [](const coconsul::service_host_options& o) -> std::string {
    try {
      coconsul::detail::validate(o);
    } catch (const coconsul::error& e) {
      BOOST_TEST((e.code() == coconsul::errc::invalid_argument));
      return e.diag().message;
    }
    return "(accepted)";
  };
  coconsul::service_host_options o;
  BOOST_TEST(message_of(o) == "service_host: the service name is empty (service.name is required)");
  o.service.name = "web";
  BOOST_TEST(message_of(o) == "(accepted)");
  o.retry = 0ms;
  BOOST_TEST(message_of(o) == "service_host: retry must be positive");
  o.retry = 1s;
  o.http_check = coconsul::service_check();
  o.http_check->http = "http://x/";
  o.http_check->ttl = 1s;
  BOOST_TEST(message_of(o).find("http_check has a TTL") != std::string::npos);
}
