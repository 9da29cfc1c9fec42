// Runs the example of docs/connect.md against an in-process dev agent: the leaf the page's code
// fetches verifies against the roots it fetches (the function is the page's own code, extracted
// from it by cmake/extract_snippets.cmake and compiled into this test: test/docs/tests.cmake).
#define BOOST_TEST_MODULE docs_connect_example
#include <boost/test/unit_test.hpp>

#include "agent_fixture.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>

// Defined in docs/connect.md.
boost::asio::awaitable<std::string> verify_service_leaf(coconsul::client& consul, std::string service);

BOOST_AUTO_TEST_CASE(docs_example_works) {
  coconsul::test::agent_fixture f;
  f.run([&]() -> boost::asio::awaitable<void> {
    std::string verdict = co_await verify_service_leaf(f.consul, "web");
    BOOST_TEST(verdict == "ok");
  }());
}
