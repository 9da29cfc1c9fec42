// BIND's dig (Debian's bind9-dnsutils) against the in-process agent's DNS server: a resolver
// that shares no code with the agent reads its answers. dig runs as a child process whose output
// is read through Asio while the agent serves it on the same io_context.
#define BOOST_TEST_MODULE dev_agent_dns_dig
#include <boost/test/unit_test.hpp>

#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read.hpp>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace coconsul;
using namespace coconsul::test;
namespace asio = boost::asio;

extern char** environ;

namespace {

// Runs /usr/bin/dig with `args` and returns what it printed (stdout and stderr).
asio::awaitable<std::string> dig(std::vector<std::string> args) {
  args.insert(args.begin(), "dig");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int fds[2];
  BOOST_REQUIRE(::pipe(fds) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, "/usr/bin/dig", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  BOOST_REQUIRE_MESSAGE(rc == 0, "cannot start /usr/bin/dig");
  asio::posix::stream_descriptor out(co_await asio::this_coro::executor, fds[0]);
  std::string text;
  // Until dig closes its end (EOF): what it printed is all there.
  co_await asio::async_read(out, asio::dynamic_buffer(text), asio::as_tuple(asio::use_awaitable));
  int status = 0;
  ::waitpid(pid, &status, 0);
  BOOST_TEST_MESSAGE("dig " << args.back() << ":\n" << text);
  co_return text;
}

// dig's arguments for the agent, then `rest` (variadic: gcc 12 mishandles a braced list inside a
// co_await expression).
template <class... Rest>
std::vector<std::string> at(const dev_agent& agent, Rest... rest) {
  std::vector<std::string> args{"@127.0.0.1", "-p", std::to_string(agent.dns_port()), "+time=2", "+tries=1"};
  (args.emplace_back(rest), ...);
  return args;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_CASE(dig_reads_srv_and_sees_a_critical_instance_go) {
  auto o = agent_test_options();
  o.dns_port = 0;
  agent_fixture f(o);
  agent_client http(f.agent, f.ioc.get_executor());
  f.run([&]() -> asio::awaitable<void> {
    auto r = co_await http.put("/v1/agent/service/register",
                               R"({"Name":"web","Port":8080,"Check":{"CheckID":"web-ttl","TTL":"60s","Status":"passing"}})");
    BOOST_REQUIRE_EQUAL(r.status, 200u);
    std::string out = co_await dig(at(f.agent, "web.service.consul", "SRV"));
    BOOST_TEST(has(out, "status: NOERROR"));
    BOOST_TEST(has(out, "flags: qr aa rd;"));  // authoritative, no recursion available
    BOOST_TEST(has(out, "web.service.consul.\t0\tIN\tSRV\t1 1 8080 test-node.node.dc1.consul."));
    BOOST_TEST(has(out, "test-node.node.dc1.consul. 0\tIN\tA\t127.0.0.1"));
    // The same over TCP.
    out = co_await dig(at(f.agent, "+tcp", "web.service.consul", "SRV"));
    BOOST_TEST(has(out, "1 1 8080 test-node.node.dc1.consul."));
    out = co_await dig(at(f.agent, "+short", "test-node.node.consul"));
    BOOST_TEST(out == "127.0.0.1\n");
    // The check goes critical: the instance is gone, NXDOMAIN with Consul's SOA.
    r = co_await http.put("/v1/agent/check/fail/web-ttl");
    BOOST_REQUIRE_EQUAL(r.status, 200u);
    out = co_await dig(at(f.agent, "web.service.consul", "SRV"));
    BOOST_TEST(has(out, "status: NXDOMAIN"));
    BOOST_TEST(has(out, "consul.\t\t\t0\tIN\tSOA\tns.consul. hostmaster.consul. "));
    BOOST_TEST(has(out, " 3600 600 86400 0"));
  }());
}
