// `coconsul services`: the catalog's services with their tags.
#include "cli/commands.hpp"

#include "cli/command_support.hpp"

#include <coconsul/json.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace coconsul::cli {
namespace {

constexpr std::string_view services_usage = R"(Usage: coconsul services [options]

Lists the services in the catalog, one per line, with the union of their instances' tags
(like `consul catalog services -tags`).

Options:
  -json               print the catalog's answer as JSON: {"name": ["tag", ...], ...}
)";

using service_tags = std::map<std::string, std::vector<std::string>>;

void print_table(const service_tags& services) {
  std::size_t width = 0;
  for (const auto& [name, tags] : services) width = std::max(width, name.size());
  for (const auto& [name, tags] : services) {
    std::cout << name;
    if (!tags.empty()) {
      std::cout << std::string(width - name.size() + 2, ' ');
      for (std::size_t i = 0; i < tags.size(); ++i) std::cout << (i ? "," : "") << tags[i];
    }
    std::cout << "\n";
  }
}

boost::asio::awaitable<int> list_services(coconsul::client& consul, bool json) {
  auto result = co_await consul.catalog().services();
  if (json)
    std::cout << encode_json(result.value, encode_mode::all_fields) << "\n";
  else
    print_table(result.value);
  co_return exit_ok;
}

}  // namespace

int run_services_command(int argc, char** argv) {
  bool json = false;
  command_line cmd("services", services_usage);
  cmd.flags().add_switch("json", json);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  return cmd.run([json](coconsul::client& c) { return list_services(c, json); });
}

}  // namespace coconsul::cli
