// TCP checks: connect, and report.

#include "dev_agent/local/probes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <cctype>

namespace coconsul::dev {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string go_dial_error(const std::string& address, const boost::system::error_code& ec, bool timed_out) {
  if (timed_out) return "dial tcp " + address + ": i/o timeout";
  std::string msg = ec.message();
  if (!msg.empty()) msg[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(msg[0])));
  if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again)
    return "dial tcp: lookup " + address + ": no such host";
  return "dial tcp " + address + ": connect: " + msg;
}

namespace {
// "host:port" -> (host, port); IPv6 in brackets.
bool split_host_port(const std::string& addr, std::string& host, std::string& port) {
  auto colon = addr.rfind(':');
  if (colon == std::string::npos) return false;
  host = addr.substr(0, colon);
  port = addr.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return !port.empty();
}
}  // namespace

asio::awaitable<probe_result> probe_tcp(asio::any_io_executor ex, check_definition def) {
  auto timeout = def.timeout.count() > 0 ? def.timeout : std::chrono::seconds(10);
  std::string host, port;
  if (!split_host_port(def.tcp, host, port))
    co_return probe_result{"critical", "dial tcp " + def.tcp + ": address " + def.tcp + ": missing port in address"};
  tcp::resolver resolver(ex);
  auto [rec, results] = co_await resolver.async_resolve(host, port, asio::as_tuple(asio::use_awaitable));
  if (rec) co_return probe_result{"critical", go_dial_error(def.tcp, rec, false)};
  boost::beast::tcp_stream stream(ex);
  stream.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout));
  auto [ec, ep] = co_await stream.async_connect(results, asio::as_tuple(asio::use_awaitable));
  boost::system::error_code ignored;
  stream.socket().close(ignored);
  if (ec) co_return probe_result{"critical", go_dial_error(def.tcp, ec, ec == boost::beast::error::timeout)};
  co_return probe_result{"passing", "TCP connect " + def.tcp + ": Success"};
}

}  // namespace coconsul::dev
