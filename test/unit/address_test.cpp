// Agent addresses (CONSUL_HTTP_ADDR forms) pinned: what parse_agent_endpoint accepts, what it
// makes of it, and the exact message for each form it refuses.
#include <boost/test/unit_test.hpp>

#include <coconsul/config.hpp>
#include <coconsul/error.hpp>

using coconsul::agent_endpoint;
using coconsul::errc;
using coconsul::parse_agent_endpoint;
using kind = coconsul::agent_endpoint::kind;

BOOST_AUTO_TEST_SUITE(agent_addresses)

BOOST_AUTO_TEST_CASE(accepted_forms) {
  struct one_case {
    const char* address;
    bool tls_enabled;
    bool tls;
    const char* host;
    unsigned port;
    const char* authority;
  };
  const one_case cases[] = {
      {"127.0.0.1:8500", false, false, "127.0.0.1", 8500, "127.0.0.1:8500"},
      {"localhost", false, false, "localhost", 80, "localhost:80"},
      {"localhost", true, true, "localhost", 443, "localhost:443"},
      {"consul.local:8501", true, true, "consul.local", 8501, "consul.local:8501"},
      {"http://consul.local", false, false, "consul.local", 80, "consul.local:80"},
      {"http://consul.local", true, true, "consul.local", 443, "consul.local:443"},
      {"http://10.0.0.1:8500/", false, false, "10.0.0.1", 8500, "10.0.0.1:8500"},
      {"https://consul.example.com", false, true, "consul.example.com", 443, "consul.example.com:443"},
      {"https://consul.example.com:8501/", false, true, "consul.example.com", 8501, "consul.example.com:8501"},
      {"[::1]", false, false, "::1", 80, "[::1]:80"},
      {"[::1]:8500", false, false, "::1", 8500, "[::1]:8500"},
      {"http://[::1]:8500/", false, false, "::1", 8500, "[::1]:8500"},
      {"https://[2001:db8::7]:8501", false, true, "2001:db8::7", 8501, "[2001:db8::7]:8501"},
      {"host.with-dash_and_underscore:1", false, false, "host.with-dash_and_underscore", 1,
       "host.with-dash_and_underscore:1"},
      {"host:65535", false, false, "host", 65535, "host:65535"},
      {"host:08500", false, false, "host", 8500, "host:8500"},
      {"host/", false, false, "host", 80, "host:80"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT("address \"" << c.address << "\" tls " << c.tls_enabled) {
      const agent_endpoint ep = parse_agent_endpoint(c.address, c.tls_enabled);
      BOOST_TEST((ep.type == kind::tcp));
      BOOST_TEST(ep.tls == c.tls);
      BOOST_TEST(ep.host == c.host);
      BOOST_TEST(ep.port == c.port);
      BOOST_TEST(ep.socket_path.empty());
      BOOST_TEST(ep.authority() == c.authority);
    }
  }
}

BOOST_AUTO_TEST_CASE(unix_sockets) {
  agent_endpoint ep = parse_agent_endpoint("unix:///var/run/consul.sock");
  BOOST_TEST((ep.type == kind::unix_socket));
  BOOST_TEST(ep.socket_path == "/var/run/consul.sock");
  BOOST_TEST(!ep.tls);
  BOOST_TEST(ep.authority() == "localhost");
  ep = parse_agent_endpoint("unix://relative/consul.sock");  // the rest, as it is
  BOOST_TEST(ep.socket_path == "relative/consul.sock");
  ep = parse_agent_endpoint("unix:///tmp/a b:1?x", true);
  BOOST_TEST(ep.socket_path == "/tmp/a b:1?x");
  BOOST_TEST(ep.tls);  // kept as configured; the unix transport does not use it
}

BOOST_AUTO_TEST_CASE(refused_forms_say_why) {
  struct one_case {
    const char* address;
    const char* message;
  };
  const one_case cases[] = {
      {"", "\"\": empty address"},
      {"ftp://x:1", "\"ftp://x:1\": unsupported scheme (use http://, https:// or unix://)"},
      {"HTTP://x:1", "\"HTTP://x:1\": unsupported scheme (use http://, https:// or unix://)"},  // as Consul: exact
      {"unix://", "\"unix://\": unix:// needs a socket path"},
      {"http://", "\"http://\": empty host"},
      {":8500", "\":8500\": empty host"},
      {"[]:8500", "\"[]:8500\": empty host"},
      {"/", "\"/\": empty host"},
      {"http://host:8500/v1", "\"http://host:8500/v1\": an agent address has no path"},
      {"host//", "\"host//\": an agent address has no path"},
      {"[::1", "\"[::1\": unclosed '[' in IPv6 address"},
      {"[::1]8500", "\"[::1]8500\": expected ':' after ']'"},
      {"[::1]:", "\"[::1]:\": empty port"},
      {"host:", "\"host:\": empty port"},
      {"::1", "\"::1\": an IPv6 address needs brackets, as in [::1]:8500"},
      {"::1:8500", "\"::1:8500\": an IPv6 address needs brackets, as in [::1]:8500"},
      {"host:abc", "\"host:abc\": port \"abc\" is not a number"},
      {"host:-1", "\"host:-1\": port \"-1\" is not a number"},
      {"host:80x", "\"host:80x\": port \"80x\" is not a number"},
      {"host:65536", "\"host:65536\": port 65536 is out of range"},
      {"host:99999999999999999999", "\"host:99999999999999999999\": port 99999999999999999999 is out of range"},
      {"host:0", "\"host:0\": port 0"},
      {"host:000", "\"host:000\": port 0"},
      {"[::1]:abc", "\"[::1]:abc\": port \"abc\" is not a number"},
      {"host:8500?x", "\"host:8500?x\": port \"8500?x\" is not a number"},
      // Refused by Boost.URL's RFC 3986 grammar (these used to fail only when connecting).
      {"user@host:8500", "\"user@host:8500\": an agent address has no user info"},
      {"[zzz]:8500", "\"[zzz]:8500\": \"zzz\" is not an IPv6 address"},
      {"[v1.x]:8500", "\"[v1.x]:8500\": \"v1.x\" is not an IPv6 address"},
      {"ho st:8500", "\"ho st:8500\": host \"ho st\" is not a valid host name or IP address"},
      {"h<x>", "\"h<x>\": host \"h<x>\" is not a valid host name or IP address"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT("address \"" << c.address << "\"") {
      BOOST_CHECK_EXCEPTION(parse_agent_endpoint(c.address), coconsul::error, [&](const coconsul::error& e) {
        BOOST_TEST(e.message() == c.message);
        return e.code() == errc::invalid_address;
      });
    }
  }
}

BOOST_AUTO_TEST_CASE(control_characters_are_refused) {
  BOOST_CHECK_EXCEPTION(parse_agent_endpoint("host\n:8500"), coconsul::error, [](const coconsul::error& e) {
    BOOST_TEST(e.message() == "\"host\\x0a:8500\": contains control characters");  // escaped, never raw
    return e.code() == errc::invalid_address;
  });
  for (const char* bad : {"host\n:8500", "http://host:8500\r", "unix:///tmp/\x01sock", "ho\x7fst"}) {
    BOOST_TEST_CONTEXT("address with a control character") {
      BOOST_CHECK_EXCEPTION(parse_agent_endpoint(bad), coconsul::error, [](const coconsul::error& e) {
        BOOST_TEST(e.message().ends_with("\": contains control characters"));
        return e.code() == errc::invalid_address;
      });
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
