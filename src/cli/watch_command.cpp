// `coconsul watch service NAME`: a service's endpoints as they change, until interrupted.
#include "cli/commands.hpp"

#include "cli/command_support.hpp"
#include "core/text.hpp"
#include "watch/blocking_policy.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace coconsul::cli {
namespace {

constexpr std::string_view watch_usage = R"(Usage: coconsul watch service NAME [options]

Follows a service's instances with blocking queries (client.watch_service) and prints each
change as it happens, until interrupted (SIGINT or SIGTERM, then exit 0). The first output is
the current state. A failing query is retried with backoff: one warning line on stderr when
failures start, one when the watch recovers. With -once, a failure is exit 1 with its message.

Each change is one line:
  index 15: added web-1 at 10.0.0.1:8080 on node-a (passing)
  index 16: changed web-1 at 10.0.0.1:8080 on node-a (critical)
  index 17: removed web-1 at 10.0.0.1:8080 on node-a (critical)
  index 17: no passing instances of web

Options:
  -tag TAG            only instances with this tag (repeat for several: all must match)
  -all                include instances whose checks are not all passing (default: passing only)
  -filter EXPR        Consul's filter expression on the health entries
  -once               print the current state and exit
  -json               one JSON object per state instead:
                      {"service":..., "index":..., "endpoints":[...], "added":[...],
                       "changed":[...], "removed":[...]}
)";

struct watch_flags {
  std::string service;
  std::vector<std::string> tags;
  bool all = false;
  std::string filter;
  bool once = false;
  bool json = false;
};

boost::json::object to_json(const endpoint& e) {
  boost::json::object meta;
  for (const auto& [k, v] : e.meta) meta[k] = v;
  boost::json::array tags;
  for (const auto& t : e.tags) tags.emplace_back(t);
  return {{"node", e.node},
          {"node_address", e.node_address},
          {"service_id", e.service_id},
          {"address", e.address},
          {"port", e.port},
          {"tags", std::move(tags)},
          {"meta", std::move(meta)},
          {"weights", {{"passing", e.weights.passing}, {"warning", e.weights.warning}}},
          {"health", to_string(e.health)}};
}

boost::json::array to_json(const std::vector<const endpoint*>& endpoints) {
  boost::json::array out;
  for (const endpoint* e : endpoints) out.emplace_back(to_json(*e));
  return out;
}

void print_json(const service_snapshot& s, const std::string& service) {
  boost::json::array all;
  for (const auto& e : s.endpoints()) all.emplace_back(to_json(e));
  boost::json::object line{{"service", service},
                           {"index", s.index()},
                           {"endpoints", std::move(all)},
                           {"added", to_json(s.added)},
                           {"changed", to_json(s.changed)},
                           {"removed", to_json(s.removed)}};
  std::cout << boost::json::serialize(line) << std::endl;  // flushed: a pipe's reader sees each state at once
}

// Server text on the terminal: control characters (an escape sequence, a forged line) as \xNN.
std::string shown(std::string_view text) {
  if (!core::has_control(text)) return std::string(text);
  const std::string q = core::quoted(text);
  return q.substr(1, q.size() - 2);
}

void print_text(const service_snapshot& s, const watch_flags& flags) {
  auto print = [&](const char* what, const endpoint* e) {
    std::cout << "index " << s.index() << ": " << what << " " << shown(e->service_id) << " at " << shown(e->address)
              << ":" << e->port << " on " << shown(e->node) << " (" << to_string(e->health) << ")\n";
  };
  for (const endpoint* e : s.removed) print("removed", e);
  for (const endpoint* e : s.changed) print("changed", e);
  for (const endpoint* e : s.added) print("added", e);
  if (s.endpoints().empty())
    std::cout << "index " << s.index() << ": no " << (flags.all ? "" : "passing ") << "instances of "
              << shown(flags.service) << "\n";
  std::cout << std::flush;
}

boost::asio::awaitable<int> follow_service(coconsul::client& consul, watch_flags flags) {
  namespace asio = boost::asio;
  // An agent that cannot be reached at all is a mistake to report now.
  co_await consul.status().leader();
  service_watch_options opts;
  opts.passing_only = !flags.all;
  opts.tags = flags.tags;
  opts.filter = flags.filter;
  // Every failed query comes back here rather than being retried inside the watch: -once then
  // fails with the message, and a long watch says when failures start and end, and also rides
  // out what the watch itself would give up on (a 400).
  opts.pacing.max_consecutive_errors = 1;

  // SIGINT/SIGTERM close the client (command_support), which ends a pending next(); this ends
  // a pause between retries, which the client does not own.
  const auto ex = co_await asio::this_coro::executor;
  asio::steady_timer pause(ex);
  bool stopping = false;
  asio::signal_set signals(ex, SIGINT, SIGTERM);
  auto on_signal = [&](const boost::system::error_code& ec, int) {
    if (ec) return;
    stopping = true;
    pause.cancel();
  };
  signals.async_wait(on_signal);

  // The pause between a failed watch and the next one: the watches' own back-off rule, without
  // the limit set above (the command itself never gives up).
  watch_pacing forever = opts.pacing;
  forever.max_consecutive_errors = 0;
  const auto rules = detail::policy_options(forever, opts.stale, opts.max_stale);
  detail::blocking_policy retry(rules);
  std::shared_ptr<const service_state> last;  // the last state printed
  unsigned failures = 0;                      // consecutive failed queries
  while (!stopping) {
    std::optional<service_watch> watch;
    watch.emplace(consul.watch_service(flags.service, opts));
    bool first = true;
    for (;;) {
      auto [ec, s] = co_await watch->next(asio::as_tuple(asio::use_awaitable));
      if (ec == errc::closed || stopping) co_return exit_ok;  // interrupted: command_support says how to exit
      if (ec) {
        const auto st = watch->status();
        const std::string message = shown(st.last_error_message.empty() ? ec.message() : st.last_error_message);
        if (flags.once) {
          std::cerr << "coconsul watch: " << message << "\n";
          co_return exit_failed;
        }
        if (failures++ == 0)
          std::cerr << "coconsul watch: warning: watching " << shown(flags.service)
                    << " failed, retrying with backoff: " << message << std::endl;
        break;
      }
      if (failures > 0) {
        std::cerr << "coconsul watch: watching " << shown(flags.service) << " again after " << failures
                  << (failures == 1 ? " failed query" : " failed queries") << std::endl;
        failures = 0;
        retry = detail::blocking_policy(rules);  // the back-off starts again from its base
      }
      if (first && last) {
        s = make_snapshot(last, s.state);
        if (s.added.empty() && s.changed.empty() && s.removed.empty()) {
          first = false;
          last = s.state;
          continue;  // nothing changed while the watch was failing
        }
      }
      first = false;
      last = s.state;
      if (flags.json)
        print_json(s, flags.service);
      else
        print_text(s, flags);
      if (flags.once) co_return exit_ok;
    }
    watch.reset();  // leave the failed query before the pause, so the next watch starts afresh
    const auto now = detail::blocking_policy::clock::now();
    // Every failure backs off alike: passed as itself, a 400 would make the policy give up,
    // which this command never does.
    (void)retry.on_error(now, make_error_code(errc::internal_error));
    pause.expires_at(retry.plan(now).not_before);
    (void)co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return exit_ok;
}

}  // namespace

int run_watch_command(int argc, char** argv) {
  watch_flags flags;
  command_line cmd("watch", watch_usage);
  cmd.flags().add_values("tag", flags.tags);
  cmd.flags().add_switch("all", flags.all);
  cmd.flags().add_value("filter", flags.filter);
  cmd.flags().add_switch("once", flags.once);
  cmd.flags().add_switch("json", flags.json);
  if (auto exit = cmd.parse(argc, argv, 1, 2, "what to watch (service NAME)")) return *exit;
  if (cmd.args()[0] != "service")
    return cmd.fail("cannot watch \"" + cmd.args()[0] + "\": only \"service NAME\" is supported");
  if (cmd.args().size() < 2) return cmd.fail("missing the service name");
  flags.service = cmd.args()[1];
  return cmd.run([&flags](coconsul::client& c) { return follow_service(c, flags); }, on_signal::succeed);
}

}  // namespace coconsul::cli
