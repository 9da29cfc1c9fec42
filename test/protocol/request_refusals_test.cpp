// Bad input is refused while the request is built, before anything is sent: the refusal is
// errc::invalid_argument and its message says what was wrong (and never echoes a token).
#include <boost/test/unit_test.hpp>

#include "protocol/request.hpp"

#include <coconsul/error.hpp>

using namespace std::chrono_literals;
using coconsul::config;
using coconsul::consistency_mode;
using coconsul::errc;
using coconsul::query_options;
using coconsul::write_options;
using coconsul::protocol::refusal;
using coconsul::protocol::request_builder;
using coconsul::protocol::verb;

namespace {

// The message of a refusal; fails the test when nothing was refused or the code is not
// invalid_argument.
std::string message_of(const refusal& r) {
  BOOST_TEST(static_cast<bool>(r), "nothing refused");
  BOOST_TEST((r.code() == errc::invalid_argument));
  BOOST_TEST(r.diag().http_status == 0u);
  BOOST_TEST(r.diag().message == r.message);
  return r.message;
}

std::string read_refusal(const query_options& o, const config& cfg = config()) {
  request_builder b(verb::get, "/v1/catalog/services");
  b.read(o, cfg);
  return message_of(b.refused());
}

std::string write_refusal(const write_options& w, const config& cfg) {
  request_builder b(verb::put, "/v1/kv/k");
  b.write(w, cfg);
  return message_of(b.refused());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(refusals)

BOOST_AUTO_TEST_CASE(names) {
  using coconsul::protocol::require_name;
  using coconsul::protocol::require_printable;
  BOOST_TEST(!require_name("service name", "web"));
  BOOST_TEST(!require_name("service name", "web").code());
  BOOST_TEST(!require_printable("filter", ""));
  BOOST_TEST(!require_printable("key", "caf\xC3\xA9 x"));  // UTF-8 and spaces are fine
  BOOST_TEST(message_of(require_name("service name", "")) == "service name is empty");
  BOOST_TEST(message_of(require_name("key", "a\x7f")) == "key contains the control character 0x7f at offset 1");
  BOOST_TEST(message_of(require_printable("key", "ab\ncd")) == "key contains the control character 0x0a at offset 2");
  BOOST_TEST(message_of(require_printable("check ID", std::string_view("\0x", 2))) ==
             "check ID contains the control character 0x00 at offset 0");
  BOOST_TEST(message_of(require_printable("node", "tab\there")) ==
             "node contains the control character 0x09 at offset 3");
}

BOOST_AUTO_TEST_CASE(the_first_refusal_is_kept) {
  request_builder b(verb::get, "/v1/kv/");
  BOOST_TEST(!b.refused());
  b.require_name("key", "").require_printable("separator", "\n");
  query_options o;
  o.wait = -1ms;
  b.read(o, config());
  BOOST_TEST(message_of(b.refused()) == "key is empty");
}

BOOST_AUTO_TEST_CASE(conflicting_or_negative_read_options) {
  query_options o;
  o.wait = -1ms;
  BOOST_TEST(read_refusal(o) == "wait is negative");

  o = query_options();
  o.max_stale = -5s;
  BOOST_TEST(read_refusal(o) == "max_stale is negative");

  o = query_options();
  o.cached = true;
  o.consistency = consistency_mode::consistent;
  BOOST_TEST(read_refusal(o) == "cached and consistent cannot be combined (Consul refuses it)");

  o = query_options();
  o.max_stale = 1s;
  o.consistency = consistency_mode::consistent;
  BOOST_TEST(read_refusal(o) == "max_stale and consistent cannot be combined (max_stale implies stale)");
}

BOOST_AUTO_TEST_CASE(control_characters_in_read_options) {
  query_options o;
  o.datacenter = "dc\r1";
  BOOST_TEST(read_refusal(o) == "datacenter contains the control character 0x0d at offset 2");

  o = query_options();
  o.namespace_name = "\x1b";
  BOOST_TEST(read_refusal(o) == "namespace contains the control character 0x1b at offset 0");

  o = query_options();
  o.partition = "p\n";
  BOOST_TEST(read_refusal(o) == "partition contains the control character 0x0a at offset 1");

  o = query_options();
  o.near = "node\x01";
  BOOST_TEST(read_refusal(o) == "near contains the control character 0x01 at offset 4");

  o = query_options();
  o.tags = {"ok", ""};
  BOOST_TEST(read_refusal(o) == "tag is empty");
  o.tags = {"bad\ttag"};
  BOOST_TEST(read_refusal(o) == "tag contains the control character 0x09 at offset 3");

  o = query_options();
  o.node_meta = {{"", "v"}};
  BOOST_TEST(read_refusal(o) == "node-meta key is empty");
  o.node_meta = {{"a:b", "v"}};
  BOOST_TEST(read_refusal(o) == "node-meta key \"a:b\" contains ':'");
  o.node_meta = {{"k", "v\n"}};
  BOOST_TEST(read_refusal(o) == "node-meta value contains the control character 0x0a at offset 1");
}

BOOST_AUTO_TEST_CASE(a_config_scope_is_checked_too) {
  config cfg;
  cfg.datacenter = "dc\n";
  BOOST_TEST(read_refusal(query_options(), cfg) == "datacenter contains the control character 0x0a at offset 2");
  // The option replaces the config's value, so the config's bad value is not used.
  query_options o;
  o.datacenter = "dc1";
  request_builder b(verb::get, "/v1/catalog/services");
  b.read(o, cfg);
  BOOST_TEST(!b.refused());
}

BOOST_AUTO_TEST_CASE(a_bad_token_is_refused_without_echoing_it) {
  query_options o;
  o.token = "s3cret\r\nX-Evil: 1";
  const std::string m = read_refusal(o);
  BOOST_TEST(m == "the token contains control characters");
  BOOST_TEST(m.find("s3cret") == std::string::npos);

  config cfg;
  cfg.token = "abc\x7f";
  BOOST_TEST(write_refusal(write_options(), cfg) == "the token contains control characters");
}

BOOST_AUTO_TEST_CASE(control_characters_in_write_options) {
  write_options w;
  w.partition = "a\x02";
  BOOST_TEST(write_refusal(w, config()) == "partition contains the control character 0x02 at offset 1");
}

BOOST_AUTO_TEST_SUITE_END()
