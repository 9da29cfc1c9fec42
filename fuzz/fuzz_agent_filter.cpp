// libFuzzer target: the dev agent's ?filter (src/dev_agent/endpoints/filter.hpp) and its regexes
// (regex.hpp). Any bytes as an expression parse or fail with a 400 that says what; what parses
// evaluates against a service, a node and a check record without crashing, or fails the same
// way; the same bytes as a regex compile or fail with Go's text, and a compiled one searches
// the records' text (and a 20 KB subject when the pattern is short).
#include "dev_agent/endpoints/filter.hpp"
#include "dev_agent/endpoints/regex.hpp"
#include "dev_agent/http/error.hpp"

#include <boost/json/parse.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// Records as the agent renders them: an agent service, a catalog node, a health check. The
// service's name is a subject for the exponential patterns of std::regex's days.
const std::vector<boost::json::value>& records() {
  static const std::vector<boost::json::value> all = {
      boost::json::parse(R"({"ID":"web-1","Service":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!","Tags":["v1","primary"],
        "Meta":{"env":"prod","version":"1.2"},"Port":8080,"Address":"10.0.0.1",
        "TaggedAddresses":{"lan_ipv4":{"Address":"10.0.0.1","Port":8080}},
        "Weights":{"Passing":1,"Warning":1},"EnableTagOverride":false,"Datacenter":"dc1"})"),
      boost::json::parse(R"({"ID":"4e0c7e3a-8b1f-4a53-9d6c-0c9b1d5f7a21","Node":"test-node","Address":"127.0.0.1",
        "Datacenter":"dc1","TaggedAddresses":{"lan":"127.0.0.1","wan":"127.0.0.1"},
        "Meta":{"consul-network-segment":""},"CreateIndex":5,"ModifyIndex":7})"),
      boost::json::parse(R"({"Node":"test-node","CheckID":"service:web-1","Name":"HTTP on /health",
        "Status":"critical","Notes":"","Output":"Get \"http://127.0.0.1:8080/health\": connection refused",
        "ServiceID":"web-1","ServiceName":"web","ServiceTags":["v1","primary"],"Type":"http",
        "Interval":"10s","Timeout":"1s","Checks":[{"Status":"passing"},{"Status":"warning"}]})"),
  };
  return all;
}

void expect_filter_error(const coconsul::dev::http_error& e) {
  if (e.status != 400) fail("a filter error that is not a 400", e.reason);
  static const std::string prefix = "Failed to create boolean expression evaluator: ";
  if (e.reason.size() <= prefix.size() || e.reason.compare(0, prefix.size(), prefix) != 0)
    fail("a filter error without Consul's prefix and a message", e.reason);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // The harness catches what the API throws (an http_error is how the agent answers a 400);
  // anything else escapes and is a finding.
  try {
    const auto f = coconsul::dev::parse_filter(text);
    for (const auto& r : records()) {
      try {
        (void)f.matches(r);
      } catch (const coconsul::dev::http_error& e) {
        expect_filter_error(e);
      }
    }
  } catch (const coconsul::dev::http_error& e) {
    expect_filter_error(e);
  }

  const coconsul::dev::consul_regex re(text);
  if (re.ok() != re.error().empty()) fail("ok() and error() disagree", text);
  if (!re.ok()) {
    if (re.error().rfind("error parsing regexp: ", 0) != 0) fail("a regex error not in Go's words", re.error());
    if (re.search(text)) fail("a refused regex matched", text);
  } else {
    // Matching is linear in the subject for a given pattern, but its cost is the product of
    // the two sizes (as with Go's regexp): a long subject only for a short pattern.
    static const std::string long_subject = std::string(20000, 'a') + "!";
    (void)re.search(records()[0].at("Service").as_string());
    (void)re.search(records()[2].at("Output").as_string());
    if (text.size() <= 256) (void)re.search(long_subject);
    if (text.size() <= 4096) (void)re.search(text);
  }
  return 0;
}
