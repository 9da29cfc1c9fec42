// The dev agent's ?filter and its regexes (Go's regexp syntax through RE2): the forms, Consul's
// error texts, the nesting bound, and the attacks that once froze or crashed the agent.
#define BOOST_TEST_MODULE dev_agent_filter
#include <boost/test/unit_test.hpp>

#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include "core/nesting.hpp"
#include "dev_agent/endpoints/filter.hpp"
#include "dev_agent/endpoints/regex.hpp"
#include "dev_agent/http/error.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/parse.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <string>

#include <pthread.h>

using namespace coconsul;
using namespace coconsul::test;
using coconsul::dev::parse_filter;
namespace asio = boost::asio;
namespace json = boost::json;
namespace utf = boost::unit_test;

namespace {

json::value entry() {
  return json::parse(R"({"Service":{"Service":"web","Tags":["v1","primary"],"Meta":{"env":"prod"},"Port":80},
                         "Checks":[{"Status":"passing"},{"Status":"warning"}]})");
}

// The 400 a filter expression gets (parsed and evaluated against entry()); "" when none.
std::string reason_400(const std::string& expr, const json::value& record = entry()) {
  try {
    parse_filter(expr).matches(record);
  } catch (const coconsul::dev::http_error& e) {
    BOOST_TEST(e.status == 400u);
    return e.reason;
  }
  return "";
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// Parses and evaluates `expr` against `record`, checking that both take linear work: at most
// two steps per character of the expression (a bound on work, not on time, so a loaded machine
// cannot fail it and a quadratic parser cannot pass it).
bool matches_in_linear_steps(const std::string& expr, const json::value& record) {
  const auto f = parse_filter(expr);
  std::size_t steps = 0;
  const bool matched = f.matches(record, steps);
  BOOST_TEST(f.parse_steps() + steps <= 2 * expr.size(),
             "parse " << f.parse_steps() << " and match " << steps << " steps for " << expr.size() << " characters");
  return matched;
}

std::string encoded(const std::string& s) { return boost::urls::encode(s, boost::urls::unreserved_chars); }

const std::string evaluator = "Failed to create boolean expression evaluator: ";

}  // namespace

BOOST_AUTO_TEST_SUITE(forms)

BOOST_AUTO_TEST_CASE(the_common_forms) {
  auto e = entry();
  BOOST_TEST(parse_filter("Service.Service == web").matches(e));
  BOOST_TEST(parse_filter("Service.Service == \"web\"").matches(e));
  BOOST_TEST(!parse_filter("Service.Service != web").matches(e));
  BOOST_TEST(parse_filter("v1 in Service.Tags").matches(e));
  BOOST_TEST(parse_filter("v2 not in Service.Tags").matches(e));
  BOOST_TEST(parse_filter("Service.Tags contains primary").matches(e));
  BOOST_TEST(parse_filter("Service.Meta.env == prod").matches(e));
  BOOST_TEST(parse_filter("Service.Meta[\"env\"] == prod").matches(e));
  BOOST_TEST(parse_filter("Service.Meta.missing is empty").matches(e));
  BOOST_TEST(parse_filter("Service.Tags is not empty").matches(e));
  BOOST_TEST(parse_filter("Service.Service matches \"^w.b$\"").matches(e));
  BOOST_TEST(parse_filter("Service.Port == 80").matches(e));
  BOOST_TEST(parse_filter("warning in Checks.Status").matches(e));
  BOOST_TEST(parse_filter("not (Service.Service == db or Service.Port == 81) and v1 in Service.Tags").matches(e));
}

BOOST_AUTO_TEST_CASE(precedence_is_not_then_and_then_or) {
  auto e = entry();
  // or < and < not < ( ), as go-bexpr's grammar.
  BOOST_TEST(parse_filter("Service.Port == 1 and Service.Port == 2 or Service.Port == 80").matches(e));
  BOOST_TEST(!parse_filter("Service.Port == 1 and (Service.Port == 2 or Service.Port == 80)").matches(e));
  BOOST_TEST(parse_filter("not Service.Port == 1 and Service.Port == 80").matches(e));
  BOOST_TEST(!parse_filter("not (Service.Port == 1 or Service.Port == 80)").matches(e));
  BOOST_TEST(parse_filter("not not Service.Port == 80").matches(e));
  BOOST_TEST(parse_filter("((Service.Port == 80)) and ((v1 in Service.Tags) or Service.Port == 2)").matches(e));
}

BOOST_AUTO_TEST_CASE(errors_are_400s_that_say_what) {
  BOOST_TEST(reason_400("Service.Service ==").find("expected a value") != std::string::npos);
  BOOST_TEST(reason_400("Service.Service ~ web").find("expected ==") != std::string::npos);
  BOOST_TEST(reason_400("(Service.Service == web").find("expected \")\"") != std::string::npos);
  BOOST_TEST(reason_400("Service.Port == 80)") == evaluator + "unexpected \")\" at position 19");
  BOOST_TEST(reason_400("Nope == 1").find("Selector \"Nope\" is not valid") != std::string::npos);
  BOOST_TEST(reason_400("") == evaluator + "empty filter expression");
  // go-bexpr's text for a regex that does not compile, with Go's regexp error inside.
  BOOST_TEST(reason_400("Service.Service matches \"(\"") ==
             evaluator + "Failed to compile regular expression \"(\": error parsing regexp: missing closing ): `(`");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(nesting)

// 20,000 nested "(" or "not " overflowed the stack of the recursive parser (SIGSEGV).
BOOST_AUTO_TEST_CASE(nesting_up_to_the_bound_parses_past_it_is_a_400, *utf::timeout(30)) {
  const std::size_t bound = core::max_nesting_depth;
  auto e = entry();
  BOOST_TEST(matches_in_linear_steps(repeat("(", bound) + "Service.Port == 80" + repeat(")", bound), e));
  BOOST_TEST(!matches_in_linear_steps(repeat("(", bound) + "Service.Port == 81" + repeat(")", bound), e));
  BOOST_TEST(matches_in_linear_steps(repeat("not ", bound) + "Service.Port == 80", e));   // even: as is
  BOOST_TEST(!matches_in_linear_steps(repeat("not ", bound - 1) + "Service.Port == 80", e));
  BOOST_TEST(matches_in_linear_steps(repeat("not (", bound / 2) + "Service.Port == 80" + repeat(")", bound / 2), e));

  // Past the bound the parser stops where the bound is crossed (the position says so), however
  // long the rest.
  const std::string too_deep = evaluator + "filter expression exceeds max depth of 10000 at position 10001";
  BOOST_TEST(reason_400(repeat("(", bound + 1) + "Service.Port == 80" + repeat(")", bound + 1)) == too_deep);
  BOOST_TEST(reason_400(repeat("(", 20000) + "Service.Port == 80" + repeat(")", 20000)) == too_deep);
  BOOST_TEST(reason_400(repeat("not ", 20000) + "Service.Port == 80") ==
             evaluator + "filter expression exceeds max depth of 10000 at position 40001");
  BOOST_TEST(reason_400(repeat("(", 1000000)) == too_deep);
}

// A long and/or chain is no nesting in the text, but a tree that deep used to be evaluated and
// destroyed recursively: it must neither need a bound nor overflow the stack.
BOOST_AUTO_TEST_CASE(long_chains_need_no_stack, *utf::timeout(60)) {
  auto e = entry();
  BOOST_TEST(parse_filter(repeat("Service.Port == 80 and ", 200000) + "v1 in Service.Tags").matches(e));
  BOOST_TEST(parse_filter(repeat("Service.Port == 1 or ", 200000) + "v1 in Service.Tags").matches(e));
  BOOST_TEST(!parse_filter(repeat("Service.Port == 1 or ", 200000) + "v9 in Service.Tags").matches(e));
  BOOST_TEST(parse_filter(repeat("(Service.Port == 1 or not Service.Port == 1) and ", 100000) + "Service.Port == 80").matches(e));
}

// The same inputs on a thread with a 512 KiB stack (an 8 MiB one is the usual): nothing in
// parsing, evaluating or destroying a filter, or compiling a regex, takes stack per level, so
// this holds in a sanitized build too, whose frames are larger.
BOOST_AUTO_TEST_CASE(deep_input_needs_no_stack, *utf::timeout(60)) {
  struct work {
    int passed = 0;
    static void* run(void* arg) {
      auto* w = static_cast<work*>(arg);
      const std::size_t bound = core::max_nesting_depth;
      auto e = entry();
      w->passed += parse_filter(repeat("(", bound) + "Service.Port == 80" + repeat(")", bound)).matches(e);
      w->passed += parse_filter(repeat("not ", bound) + "Service.Port == 80").matches(e);
      try {  // no Boost.Test assertion off the main thread
        parse_filter(repeat("(", 20000) + "Service.Port == 80" + repeat(")", 20000));
      } catch (const coconsul::dev::http_error& err) {
        w->passed += err.status == 400;
      }
      w->passed += parse_filter(repeat("Service.Port == 80 and ", 200000) + "v1 in Service.Tags").matches(e);
      w->passed += coconsul::dev::consul_regex(repeat("(", 999) + "a" + repeat(")", 999)).search("a");
      w->passed += coconsul::dev::consul_regex(repeat("(", 20000) + "a" + repeat(")", 20000)).ok() ? 0 : 1;
      return nullptr;
    }
  } w;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 512 * 1024);
  pthread_t thread;
  BOOST_TEST_REQUIRE(pthread_create(&thread, &attr, &work::run, &w) == 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  BOOST_TEST(w.passed == 6);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(regex)

// Go's regexp (RE2 syntax): unanchored, Perl classes, flags; what ECMAScript has and RE2 has
// not (backreferences, lookaround) is refused, as Go refuses it.
BOOST_AUTO_TEST_CASE(go_syntax_and_semantics) {
  using coconsul::dev::consul_regex;
  auto yes = [](const std::string& re, const std::string& text) {
    consul_regex r(re);
    BOOST_TEST_REQUIRE(r.ok(), re << ": " << r.error());
    return r.search(text);
  };
  BOOST_TEST(yes("eb", "web"));
  BOOST_TEST(yes("^w.b$", "web"));
  BOOST_TEST(!yes("^w.b$", "web\n"));  // $ is the end of the text without (?m)
  BOOST_TEST(yes("(?i)^WEB$", "web"));
  BOOST_TEST(yes("(?m)^b$", "a\nb"));
  BOOST_TEST(!yes("a.b", "a\nb"));     // . does not match a newline without (?s)
  BOOST_TEST(yes("(?s)a.b", "a\nb"));
  BOOST_TEST(yes("[^a]", "\n"));       // a negated class does
  BOOST_TEST(yes("\\d+\\s\\w", "12 x"));
  BOOST_TEST(yes("\\bweb\\b", "a web b"));
  BOOST_TEST(yes("\\pL\\p{Greek}", "aλ"));
  BOOST_TEST(yes("^.$", "λ"));        // UTF-8: one character, not two bytes
  BOOST_TEST(yes("(?P<v>v[0-9]+)", "v12"));
  BOOST_TEST(yes("\\Q**\\E", "a**"));
  BOOST_TEST(yes("a{2,3}", "aaa"));
}

BOOST_AUTO_TEST_CASE(refusals_read_as_go_regexp_errors) {
  using coconsul::dev::consul_regex;
  auto error = [](const std::string& re) { return consul_regex(re).error(); };
  BOOST_TEST(error("c**") == "error parsing regexp: invalid nested repetition operator: `**`");
  BOOST_TEST(error("c********x") == "error parsing regexp: invalid nested repetition operator: `**`");
  BOOST_TEST(error("a++") == "error parsing regexp: invalid nested repetition operator: `++`");
  BOOST_TEST(error("*a") == "error parsing regexp: missing argument to repetition operator: `*`");
  BOOST_TEST(error("(a") == "error parsing regexp: missing closing ): `(a`");
  BOOST_TEST(error("a)") == "error parsing regexp: unexpected ): `a)`");
  BOOST_TEST(error("x[a") == "error parsing regexp: missing closing ]: `[a`");
  BOOST_TEST(error("[z-a]") == "error parsing regexp: invalid character class range: `z-a`");
  BOOST_TEST(error("\\8") == "error parsing regexp: invalid escape sequence: `\\8`");
  BOOST_TEST(error("(a)\\1") == "error parsing regexp: invalid escape sequence: `\\1`");
  BOOST_TEST(error("\\C") == "error parsing regexp: invalid escape sequence: `\\C`");
  BOOST_TEST(error("a{1001}") == "error parsing regexp: invalid repeat count: `{1001}`");
  BOOST_TEST(error("(?=a)") == "error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
  BOOST_TEST(error("a\\") == "error parsing regexp: trailing backslash at end of expression: ``");
  BOOST_TEST(error("\\pX") == "error parsing regexp: invalid character class range: `\\pX`");
  BOOST_TEST(error("\xff") == "error parsing regexp: invalid UTF-8: `\xff`");
  // Go's parser refuses a tree higher than 1000: 999 groups around a literal are the most.
  const std::string deep = repeat("(", 1000) + "a" + repeat(")", 1000);
  BOOST_TEST(error(deep) == "error parsing regexp: expression nests too deeply: `" + deep + "`");
  BOOST_TEST(consul_regex(repeat("(", 999) + "a" + repeat(")", 999)).ok());
  BOOST_TEST(consul_regex("[(]" + repeat("\\(", 2000)).ok());  // escaped or in a class: no group
}

// std::regex took 13 s for 8 stacked stars and 16 s for ^(a+)+$ on 30 characters, and
// overflowed the stack on a 20 KB subject or 20,000 nested groups.
BOOST_AUTO_TEST_CASE(attacks_are_answered_at_once, *utf::timeout(30)) {
  BOOST_TEST(reason_400("Service.Service matches \"c********x\"") ==
             evaluator + "Failed to compile regular expression \"c********x\": error parsing regexp: "
                         "invalid nested repetition operator: `**`");
  auto record = [](const std::string& name) {
    json::value v = entry();
    v.at("Service").as_object()["Service"] = name;
    return v;
  };
  BOOST_TEST(!parse_filter("Service.Service matches \"^(a+)+$\"").matches(record(repeat("a", 30) + "!")));
  BOOST_TEST(!parse_filter("Service.Service matches \"^(a|aa)*$\"").matches(record(repeat("a", 100000) + "!")));
  BOOST_TEST(parse_filter("Service.Service matches \"(a|b)*c\"").matches(record(repeat("ab", 10000) + "c")));
  BOOST_TEST(!parse_filter("Service.Service not matches \".*x.*y\"").matches(record(repeat("x", 20000) + "y")));
  const std::string groups = repeat("(", 20000) + "a" + repeat(")", 20000);
  BOOST_TEST(reason_400("Service.Service matches \"" + groups + "\"").find("expression nests too deeply") != std::string::npos);
  // The work bound behind "at once": RE2 takes a fixed number of steps per program instruction
  // and byte of subject, and these patterns are small programs.
  for (const char* re : {"^(a+)+$", "^(a|aa)*$", "(a|b)*c", ".*x.*y"}) {
    const coconsul::dev::consul_regex r(re);
    BOOST_TEST(r.program_size() > 0, re);
    BOOST_TEST(r.program_size() <= 32, re << ": " << r.program_size());
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(over_http)

BOOST_AUTO_TEST_CASE(an_attack_is_answered_at_once_and_others_are_served) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/service/register", R"({"Name":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!","ID":"a"})");
    co_await c.put("/v1/agent/service/register", R"({"Name":"web","ID":"w"})");

    // The attack and an ordinary request in parallel, on two connections.
    auto other = agent_client(f.agent, f.ioc.get_executor());
    bool other_done = false;
    auto ordinary = [&]() -> asio::awaitable<void> {
      auto r = co_await other.get("/v1/agent/services?filter=" + encoded("Service == web"));
      BOOST_TEST(r.status == 200u);
      BOOST_TEST(r.json().as_object().size() == 1u);
      other_done = true;
    };
    asio::co_spawn(f.ioc, ordinary(), asio::detached);
    // The work each refusal takes is bounded in the unit tests above; here they are served
    // while another connection is.
    auto r = co_await c.get("/v1/agent/services?filter=" + encoded("Service matches \"^(a+)+$\""));
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.json().as_object().empty());
    r = co_await c.get("/v1/agent/services?filter=" + encoded("Service matches \"c********x\""));
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == evaluator + "Failed to compile regular expression \"c********x\": error parsing regexp: "
                                     "invalid nested repetition operator: `**`");
    r = co_await c.get("/v1/agent/services?filter=" + encoded(repeat("(", 20000) + "Service == web" + repeat(")", 20000)));
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == evaluator + "filter expression exceeds max depth of 10000 at position 10001");
    co_await until([&] { return other_done; });
    r = co_await c.get("/v1/health/service/web?filter=" + encoded("Service.Service matches \"^w\\\\w+$\""));
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.json().as_array().size() == 1u);
  }());
}

// Event filters are Go regexps too: RE2's syntax, Consul's "Invalid ... filter: " + Go's text.
BOOST_AUTO_TEST_CASE(event_filters_are_go_regexps) {
  agent_fixture f(agent_test_options());
  f.run([&]() -> asio::awaitable<void> {
    auto c = agent_client(f.agent, f.ioc.get_executor());
    co_await c.put("/v1/agent/service/register", R"({"Name":"web","Tags":["blue"]})");
    auto r = co_await c.put("/v1/event/fire/a?service=" + encoded("c**"));
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "Invalid service filter: error parsing regexp: invalid nested repetition operator: `**`");
    r = co_await c.put("/v1/event/fire/b?node=" + encoded("(a"));
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "Invalid node filter: error parsing regexp: missing closing ): `(a`");
    r = co_await c.put("/v1/event/fire/c?service=web&tag=" + encoded("(?=b)"));
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(r.body == "Invalid tag filter: error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
    r = co_await c.put("/v1/event/fire/d?node=" + encoded("^(t|te|tes|test)*-node$"));  // kept
    BOOST_TEST(r.status == 200u);
    r = co_await c.put("/v1/event/fire/e?node=" + encoded("(?i)^TEST-NODE$"));  // Go's flags: kept
    BOOST_TEST(r.status == 200u);
    r = co_await c.put("/v1/event/fire/f?service=" + encoded("^(w+)+$") + "&tag=x");  // not kept
    BOOST_TEST(r.status == 200u);
    r = co_await c.get("/v1/event/list");
    std::string names;
    const auto events = r.json();
    for (const auto& e : events.as_array()) names += std::string(e.at("Name").as_string()) + ",";
    BOOST_TEST(names == "d,e,");
  }());
}

BOOST_AUTO_TEST_SUITE_END()
