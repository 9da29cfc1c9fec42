// `coconsul watch service NAME`: a service's endpoints as they change, until interrupted.
#include "cli/commands.hpp"

#include "cli/command_support.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <iostream>
#include <string>
#include <vector>

namespace coconsul::cli {
namespace {

constexpr std::string_view watch_usage = R"(Usage: coconsul watch service NAME [options]

Follows a service's instances with blocking queries (client.watch_service) and prints each
change as it happens, until interrupted (SIGINT or SIGTERM, then exit 0). The first output is
the current state.

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

void print_text(const service_snapshot& s, const watch_flags& flags) {
  auto print = [&](const char* what, const endpoint* e) {
    std::cout << "index " << s.index() << ": " << what << " " << e->service_id << " at " << e->address << ":"
              << e->port << " on " << e->node << " (" << to_string(e->health) << ")\n";
  };
  for (const endpoint* e : s.removed) print("removed", e);
  for (const endpoint* e : s.changed) print("changed", e);
  for (const endpoint* e : s.added) print("added", e);
  if (s.endpoints().empty())
    std::cout << "index " << s.index() << ": no " << (flags.all ? "" : "passing ") << "instances of " << flags.service
              << "\n";
  std::cout << std::flush;
}

boost::asio::awaitable<int> follow_service(coconsul::client& consul, watch_flags flags) {
  // The watch retries failures forever (agents restart); an agent that cannot be reached at
  // all is a mistake to report now.
  co_await consul.status().leader();
  service_watch_options opts;
  opts.passing_only = !flags.all;
  opts.tags = flags.tags;
  opts.filter = flags.filter;
  service_watch watch = consul.watch_service(flags.service, opts);
  for (;;) {
    service_snapshot s = co_await watch.next();
    if (flags.json)
      print_json(s, flags.service);
    else
      print_text(s, flags);
    if (flags.once) co_return exit_ok;
  }
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
