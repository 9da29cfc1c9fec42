// kv_config_reload: follows a configuration kept under a KV prefix and prints it each time it
// changes, the way a service reloads its settings without a restart.
//
//   usage: kv_config_reload [--prefix PREFIX] [--reloads N]
//     --prefix PREFIX  the KV prefix holding the configuration (default "config/app/")
//     --reloads N      exit after printing N changes (default 0: run until interrupted)
//   The agent comes from Consul's environment: CONSUL_HTTP_ADDR, CONSUL_HTTP_TOKEN, ...
//
// With ACLs on it needs no more than `key_prefix "PREFIX" { policy = "read" }` (docs/acl.md):
// keys its token may not read are left out and it says so; a token the agent does not know is
// a 403 that no retry mends, so it stops with Consul's text.
//
// One blocking read at a time on the prefix: Consul answers when something under it changes or
// after `wait`. The loop follows Consul's rules for blocking queries: an index that goes
// backwards starts over, the index sent is never 0, reads are spaced at least 50 ms apart, an
// answer without a real change is not a reload, and errors back off instead of spinning.

// g++ 12 pairs the coroutine frame's operator new (Asio's recycling allocator) with a plain
// free() in an inlined destroy path and warns falsely (GCC bug 109224).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <coconsul/client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view usage =
    "usage: kv_config_reload [--prefix PREFIX] [--reloads N]\n"
    "  --prefix PREFIX  the KV prefix holding the configuration (default \"config/app/\")\n"
    "  --reloads N      exit after printing N changes (default 0: run until interrupted)\n"
    "The agent comes from CONSUL_HTTP_ADDR (default http://127.0.0.1:8500) and CONSUL_HTTP_TOKEN.\n";

struct options {
  std::string prefix = "config/app/";
  unsigned reloads = 0;
};

using clock_type = std::chrono::steady_clock;
constexpr std::chrono::milliseconds min_interval{50};

using configuration = std::map<std::string, std::string>;  // key below the prefix -> value

configuration to_configuration(const std::vector<coconsul::kv_pair>& pairs, const std::string& prefix) {
  configuration c;
  for (const auto& p : pairs)
    if (p.key.size() > prefix.size() && p.key.back() != '/') c[p.key.substr(prefix.size())] = p.value;  // skip "folders"
  return c;
}

void print(const configuration& c, const std::string& title, std::uint64_t index, bool filtered) {
  std::cout << title << " (index " << index << ", " << c.size() << (c.size() == 1 ? " key" : " keys") << ")\n";
  for (const auto& [key, value] : c) std::cout << "  " << key << " = " << value << "\n";
  if (filtered) std::cout << "  (keys this token may not read are left out)\n";
  std::cout << std::flush;
}

asio::awaitable<void> follow(coconsul::client& consul, options opts) {
  auto kv = consul.kv();
  asio::steady_timer pause(co_await asio::this_coro::executor);
  coconsul::query_options q;
  q.wait = 5min;
  std::optional<configuration> current;
  unsigned reloads = 0;
  auto backoff = 100ms;
  auto last_read = clock_type::now() - min_interval;
  for (;;) {
    // Consul may answer a blocking read at once without a change (index churn): never read
    // more often than every min_interval.
    if (auto next = last_read + min_interval; next > clock_type::now()) {
      pause.expires_at(next);
      co_await pause.async_wait(asio::use_awaitable);
    }
    last_read = clock_type::now();
    auto [ec, why, result] =
        co_await kv.list(opts.prefix, q, coconsul::pass_diagnostics(asio::as_tuple(asio::use_awaitable)));
    if (ec == coconsul::errc::closed) co_return;  // interrupted: see main()
    // The token lacks the permission, or the agent does not know it: retrying would not help.
    if (ec == coconsul::errc::forbidden || ec == coconsul::errc::acl_not_found)
      throw std::runtime_error("reading " + opts.prefix + " was refused: " + why.message);
    if (ec) {
      std::cerr << "kv_config_reload: reading " << opts.prefix << " failed: " << ec.message() << "; retrying in "
                << backoff.count() << " ms\n";
      pause.expires_after(backoff);
      co_await pause.async_wait(asio::use_awaitable);
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, 10s);
      continue;
    }
    backoff = 100ms;
    // Consul's rules: an index that went backwards (a snapshot restore) means start over; 0
    // would not block at all.
    const std::uint64_t index = result.meta.last_index;
    q.index = index < q.index ? 0 : std::max<std::uint64_t>(index, 1);
    auto next = to_configuration(result.value, opts.prefix);
    const bool filtered = result.meta.results_filtered_by_acls;
    if (!current) {
      print(next, "configuration loaded", index, filtered);
    } else if (next != *current) {
      ++reloads;
      print(next, "configuration reloaded #" + std::to_string(reloads), index, filtered);
      if (opts.reloads != 0 && reloads >= opts.reloads) co_return;
    }
    current = std::move(next);
  }
}

bool parse_count(std::string_view text, unsigned& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

int main(int argc, char** argv) {
  options opts;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << usage;
      return 0;
    }
    if (i + 1 >= argc) {
      std::cerr << "kv_config_reload: " << arg << " needs a value\n" << usage;
      return 2;
    }
    std::string_view value = argv[++i];
    if (arg == "--prefix") {
      opts.prefix = value;
    } else if (arg == "--reloads") {
      if (!parse_count(value, opts.reloads)) {
        std::cerr << "kv_config_reload: --reloads: \"" << value << "\" is not a count\n" << usage;
        return 2;
      }
    } else {
      std::cerr << "kv_config_reload: unknown option " << arg << "\n" << usage;
      return 2;
    }
  }

  try {
    asio::io_context ioc;
    coconsul::client consul(ioc, coconsul::config::from_env());
    std::cout << "watching " << opts.prefix << " at " << consul.get_config().address << "\n" << std::flush;

    int status = 0;
    asio::signal_set stop(ioc, SIGINT, SIGTERM);
    stop.async_wait([&](boost::system::error_code ec, int) {
      if (!ec) consul.close();  // ends the pending read, and with it follow()
    });
    asio::co_spawn(ioc, follow(consul, opts), [&](std::exception_ptr e) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& x) {
          std::cerr << "kv_config_reload: " << x.what() << "\n";
          status = 1;
        }
      }
      stop.cancel();
      consul.close();  // idle keep-alive connections would keep run() going
    });
    ioc.run();
    return status;
  } catch (const std::exception& e) {
    std::cerr << "kv_config_reload: " << e.what() << "\n";
    return 1;
  }
}
