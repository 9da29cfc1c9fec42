// The shared core without I/O: Go durations (parse, format, Go's limits), errors and HTTP
// statuses, and the configuration read from Consul's environment variables.

#define BOOST_TEST_MODULE core
#include <boost/test/unit_test.hpp>

#include <coconsul/config.hpp>
#include <coconsul/duration.hpp>
#include <coconsul/error.hpp>

#include <cstdlib>
#include <fstream>
#include <limits>

using namespace std::chrono_literals;
using coconsul::errc;
using coconsul::format_duration;
using coconsul::parse_duration;
using coconsul::try_parse_duration;

BOOST_AUTO_TEST_SUITE(durations)

BOOST_AUTO_TEST_CASE(parses_go_syntax) {
  BOOST_TEST(parse_duration("0").count() == 0);
  BOOST_TEST(parse_duration("0s").count() == 0);
  BOOST_TEST((parse_duration("10s") == 10s));
  BOOST_TEST((parse_duration("1m30s") == 90s));
  BOOST_TEST((parse_duration("1h2m3.5s") == 1h + 2min + 3500ms));
  BOOST_TEST((parse_duration("300ms") == 300ms));
  BOOST_TEST((parse_duration("1us") == 1us));
  BOOST_TEST((parse_duration("1\xC2\xB5s") == 1us));  // micro sign
  BOOST_TEST((parse_duration("1\xCE\xBCs") == 1us));  // Greek mu
  BOOST_TEST((parse_duration("7ns") == 7ns));
  BOOST_TEST((parse_duration("+5s") == 5s));
  BOOST_TEST((parse_duration(".5s") == 500ms));
  BOOST_TEST((parse_duration("5.s") == 5s));
  BOOST_TEST((parse_duration("1.000000001s") == 1000000001ns));
  BOOST_TEST((parse_duration("2h45m") == 2h + 45min));
  BOOST_TEST(parse_duration("2562047h47m16.854775807s").count() == std::numeric_limits<std::int64_t>::max());
}

BOOST_AUTO_TEST_CASE(rejects_garbage_with_a_clear_message) {
  struct bad_case {
    const char* text;
    const char* says;
  };
  const bad_case cases[] = {
      {"", "empty"},
      {"10", "missing unit"},
      {"10x", "unknown unit \"x\""},
      {"s", "expected a number"},
      {".s", "'.' without digits"},
      {"1h-2m", "unknown unit \"h-\""},
      {"2562047h47m16.854775808s", "overflows"},
      {"99999999999999999999s", "overflows"},
      {"2562048h", "overflows"},  // Go: invalid duration
      {"-2562047h47m16.854775809s", "overflows"},
      {"9223372036854775808ns", "overflows"},
      {"9223372036854775808ns9223372036854775808ns", "overflows"},  // the sum passes 2^64
      {"-", "no number"},
      {"10s\n", "unknown unit \"s\\x0a\""},
      {"+", "no number"},
  };
  for (const auto& c : cases) {
    std::string why;
    BOOST_TEST_CONTEXT("input \"" << c.text << "\"") {
      BOOST_TEST(!try_parse_duration(c.text, &why).has_value());
      BOOST_TEST(why.find(c.says) != std::string::npos, "message: " << why);
      try {
        parse_duration(c.text);
        BOOST_FAIL("no exception");
      } catch (const coconsul::error& e) {
        BOOST_TEST((e.code() == errc::invalid_duration));
        BOOST_TEST(e.message() == why);
      }
    }
  }
}

// Go's time.ParseDuration accepts a leading '-', down to -2^63 ns, and its largest whole-hour
// value is 2562047h (2562048h overflows).
BOOST_AUTO_TEST_CASE(parses_negative_and_extreme_values_as_go_does) {
  BOOST_TEST((parse_duration("-1s") == -1s));
  BOOST_TEST((parse_duration("-1m30s") == -90s));
  BOOST_TEST((parse_duration("-.5s") == -500ms));
  BOOST_TEST((parse_duration("-0") == 0s));
  BOOST_TEST((parse_duration("-0s") == 0s));
  BOOST_TEST(parse_duration("2562047h").count() == 2562047LL * 3600 * 1'000'000'000);
  BOOST_TEST(parse_duration("-2562047h").count() == -2562047LL * 3600 * 1'000'000'000);
  BOOST_TEST(parse_duration("-2562047h47m16.854775808s").count() == std::numeric_limits<std::int64_t>::min());
  BOOST_TEST(parse_duration("-9223372036854775808ns").count() == std::numeric_limits<std::int64_t>::min());
  BOOST_TEST(parse_duration("9223372036854775807ns").count() == std::numeric_limits<std::int64_t>::max());
}

// Go computes a fraction as uint64(float64(f) * (float64(unit) / scale)); with more digits than
// a unit has nanoseconds that can land one below the exact value, and Go programs (Consul) see
// Go's number, so this does too.
BOOST_AUTO_TEST_CASE(fractions_use_go_float64_arithmetic) {
  BOOST_TEST(parse_duration("1.5h").count() == 5'400'000'000'000);
  BOOST_TEST(parse_duration("0.00100000000000us").count() == 0);  // exactly 1ns; Go gives 0
  BOOST_TEST(parse_duration("0.001us").count() == 1);
  BOOST_TEST(parse_duration("0.00000000000750h").count() == 26);  // exactly 27ns; Go gives 26
  BOOST_TEST(parse_duration("1.00000000000000000000000001s").count() == 1'000'000'000);  // digits past 63 bits skipped
}

BOOST_AUTO_TEST_CASE(formats_as_go_does) {
  BOOST_TEST(format_duration(0s) == "0s");
  BOOST_TEST(format_duration(10s) == "10s");
  BOOST_TEST(format_duration(90s) == "1m30s");
  BOOST_TEST(format_duration(1h) == "1h0m0s");
  BOOST_TEST(format_duration(1h + 2min + 3500ms) == "1h2m3.5s");
  BOOST_TEST(format_duration(300ms) == "300ms");
  BOOST_TEST(format_duration(1500us) == "1.5ms");
  BOOST_TEST(format_duration(1us) == "1\xC2\xB5s");
  BOOST_TEST(format_duration(7ns) == "7ns");
  BOOST_TEST(format_duration(-90s) == "-1m30s");
  BOOST_TEST(format_duration(std::chrono::nanoseconds::min()) == "-2562047h47m16.854775808s");
}

BOOST_AUTO_TEST_CASE(round_trips) {
  for (std::int64_t ns : {std::int64_t{1}, std::int64_t{999}, std::int64_t{1000}, std::int64_t{1'234'567},
                          std::int64_t{1'000'000'000}, std::int64_t{61'000'000'001}, std::int64_t{86'400'000'000'000},
                          std::numeric_limits<std::int64_t>::max(), std::int64_t{-1}, std::int64_t{-1'500'000},
                          std::numeric_limits<std::int64_t>::min()}) {
    const std::chrono::nanoseconds d{ns};
    BOOST_TEST(parse_duration(format_duration(d)).count() == ns);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(http_statuses_map_to_codes) {
  BOOST_TEST((coconsul::errc_from_http_status(400) == errc::bad_request));
  BOOST_TEST((coconsul::errc_from_http_status(404) == errc::not_found));
  BOOST_TEST((coconsul::errc_from_http_status(409) == errc::conflict));
  BOOST_TEST((coconsul::errc_from_http_status(429) == errc::too_many_requests));
  BOOST_TEST((coconsul::errc_from_http_status(500) == errc::server_error));
  BOOST_TEST((coconsul::errc_from_http_status(418) == errc::unexpected_status));
}

BOOST_AUTO_TEST_CASE(exception_keeps_consuls_message_beside_the_code) {
  const coconsul::error e(make_error_code(errc::not_found),
                          {404, "Unknown service ID \"web\". Ensure that the service ID is passed, not the service name."});
  BOOST_TEST((e.code() == errc::not_found));
  BOOST_TEST(e.http_status() == 404u);
  BOOST_TEST(e.message().starts_with("Unknown service ID"));
  BOOST_TEST(std::string(e.what()) == "not found (404): " + e.message());
  BOOST_TEST(e.code().category().name() == std::string("coconsul"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(configuration)

namespace {
// Sets or clears environment variables for one test and restores them afterwards.
struct env_guard {
  std::vector<std::pair<std::string, std::optional<std::string>>> saved;
  void set(const std::string& name, const char* value) {
    const char* old = std::getenv(name.c_str());
    saved.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
    if (value) ::setenv(name.c_str(), value, 1); else ::unsetenv(name.c_str());
  }
  ~env_guard() {
    for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
      if (it->second) ::setenv(it->first.c_str(), it->second->c_str(), 1); else ::unsetenv(it->first.c_str());
    }
  }
};
const char* const all_vars[] = {"CONSUL_HTTP_ADDR", "CONSUL_HTTP_TOKEN", "CONSUL_HTTP_TOKEN_FILE", "CONSUL_HTTP_SSL",
                                "CONSUL_HTTP_SSL_VERIFY", "CONSUL_CACERT", "CONSUL_CAPATH", "CONSUL_CLIENT_CERT",
                                "CONSUL_CLIENT_KEY", "CONSUL_TLS_SERVER_NAME", "CONSUL_NAMESPACE", "CONSUL_PARTITION"};
}  // namespace

BOOST_AUTO_TEST_CASE(defaults_match_consuls_client) {
  env_guard env;
  for (auto* v : all_vars) env.set(v, nullptr);
  const auto c = coconsul::config::from_env();
  BOOST_TEST(c.address == "http://127.0.0.1:8500");
  BOOST_TEST(c.token.empty());
  BOOST_TEST(!c.tls.enabled);
  BOOST_TEST(c.tls.verify);
  BOOST_TEST(c.limits.max_connections < 200u);
}

BOOST_AUTO_TEST_CASE(reads_every_variable) {
  env_guard env;
  for (auto* v : all_vars) env.set(v, nullptr);
  env.set("CONSUL_HTTP_ADDR", "consul.local:8501");
  env.set("CONSUL_HTTP_TOKEN", "from-env");
  env.set("CONSUL_HTTP_SSL", "true");
  env.set("CONSUL_HTTP_SSL_VERIFY", "0");
  env.set("CONSUL_CACERT", "/ca.pem");
  env.set("CONSUL_CAPATH", "/cas");
  env.set("CONSUL_CLIENT_CERT", "/cert.pem");
  env.set("CONSUL_CLIENT_KEY", "/key.pem");
  env.set("CONSUL_TLS_SERVER_NAME", "server.dc1.consul");
  env.set("CONSUL_NAMESPACE", "team-a");
  env.set("CONSUL_PARTITION", "part-1");
  const auto c = coconsul::config::from_env();
  BOOST_TEST(c.address == "consul.local:8501");
  BOOST_TEST(c.token == "from-env");
  BOOST_TEST(c.tls.enabled);
  BOOST_TEST(!c.tls.verify);
  BOOST_TEST(c.tls.ca_file == "/ca.pem");
  BOOST_TEST(c.tls.ca_path == "/cas");
  BOOST_TEST(c.tls.cert_file == "/cert.pem");
  BOOST_TEST(c.tls.key_file == "/key.pem");
  BOOST_TEST(c.tls.server_name == "server.dc1.consul");
  BOOST_TEST(c.namespace_name == "team-a");
  BOOST_TEST(c.partition == "part-1");
  const auto ep = coconsul::parse_agent_endpoint(c.address, c.tls.enabled);
  BOOST_TEST(ep.tls);
  BOOST_TEST(ep.host == "consul.local");
  BOOST_TEST(ep.port == 8501);
}

BOOST_AUTO_TEST_CASE(token_file_wins_when_not_empty) {
  env_guard env;
  for (auto* v : all_vars) env.set(v, nullptr);
  const std::string path = "core_test_token_file.txt";
  { std::ofstream(path) << "  from-file\n"; }
  env.set("CONSUL_HTTP_TOKEN", "from-env");
  env.set("CONSUL_HTTP_TOKEN_FILE", path.c_str());
  BOOST_TEST(coconsul::config::from_env().token == "from-file");
  env.set("CONSUL_HTTP_TOKEN_FILE", "/nonexistent/token");
  try {
    (void)coconsul::config::from_env();
    BOOST_FAIL("no exception");
  } catch (const coconsul::error& e) {
    BOOST_TEST((e.code() == errc::invalid_config));
    BOOST_TEST(e.message().find("/nonexistent/token") != std::string::npos);
  }
  std::remove(path.c_str());
}

BOOST_AUTO_TEST_CASE(bad_values_are_refused) {
  env_guard env;
  for (auto* v : all_vars) env.set(v, nullptr);
  env.set("CONSUL_HTTP_SSL", "yes");
  BOOST_CHECK_EXCEPTION((void)coconsul::config::from_env(), coconsul::error, [](const coconsul::error& e) {
    return e.code() == errc::invalid_config && e.message().find("CONSUL_HTTP_SSL=\"yes\"") != std::string::npos;
  });
  env.set("CONSUL_HTTP_SSL", nullptr);
  env.set("CONSUL_HTTP_ADDR", "ftp://x:1");
  BOOST_CHECK_EXCEPTION((void)coconsul::config::from_env(), coconsul::error, [](const coconsul::error& e) {
    return e.code() == errc::invalid_config && e.message().find("unsupported scheme") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(addresses) {
  using coconsul::parse_agent_endpoint;
  using kind = coconsul::agent_endpoint::kind;
  auto a = parse_agent_endpoint("127.0.0.1:8500");
  BOOST_TEST(a.host == "127.0.0.1");
  BOOST_TEST(a.port == 8500);
  BOOST_TEST(!a.tls);
  BOOST_TEST(a.authority() == "127.0.0.1:8500");
  a = parse_agent_endpoint("https://consul.example.com");
  BOOST_TEST(a.tls);
  BOOST_TEST(a.port == 443);
  a = parse_agent_endpoint("http://[::1]:8500/");
  BOOST_TEST(a.host == "::1");
  BOOST_TEST(a.authority() == "[::1]:8500");
  a = parse_agent_endpoint("unix:///var/run/consul.sock");
  BOOST_TEST((a.type == kind::unix_socket));
  BOOST_TEST(a.socket_path == "/var/run/consul.sock");
  a = parse_agent_endpoint("localhost", true);
  BOOST_TEST(a.tls);
  BOOST_TEST(a.port == 443);
  for (const char* bad : {"", "http://", "host:", "host:99999", "host:abc", "::1:8500", "[::1", "unix://",
                          "http://host:8500/v1", "host\n:8500", "host:0"}) {
    BOOST_TEST_CONTEXT("address \"" << bad << "\"") {
      BOOST_CHECK_EXCEPTION(parse_agent_endpoint(bad), coconsul::error,
                            [](const coconsul::error& e) { return e.code() == errc::invalid_address && !e.message().empty(); });
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
