// `coconsul members`: the agent's gossip members as `consul members` prints them (its table,
// -detailed, -status, -wan).
#include "cli/commands.hpp"

#include "cli/command_support.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <iostream>
#include <regex>
#include <string>
#include <tuple>
#include <vector>

namespace coconsul::cli {
namespace {

constexpr std::string_view members_usage = R"(Usage: coconsul members [options]

Outputs the members of the gossip pool the agent is in, as `consul members` does: Node,
Address, Status, Type, Build, Protocol, DC, Partition and Segment.

Options:
  -detailed          Node, Address, Status and every tag instead
  -status REGEXP     only members whose status (alive, leaving, left, failed) matches (an
                     ECMAScript regex here, RE2 in Consul: the same for these five words)
  -wan               the WAN pool (members named <node>.<dc>)
)";

// serf.MemberStatus's names.
std::string status_name(int status) {
  switch (status) {
    case 0: return "none";
    case 1: return "alive";
    case 2: return "leaving";
    case 3: return "left";
    case 4: return "failed";
  }
  return "unknown";
}

std::string tag(const member& m, const std::string& key) {
  auto it = m.tags.find(key);
  return it == m.tags.end() ? std::string() : it->second;
}

std::string address_of(const member& m) {
  std::string out;  // appended piecewise: gcc 12 warns falsely (-Wrestrict) on "lit" + string&&
  bool v6 = m.addr.find(':') != std::string::npos;
  if (v6) out += '[';
  out += m.addr;
  if (v6) out += ']';
  out += ':';
  out += std::to_string(m.port);
  return out;
}

// Columns padded to their widest cell and two spaces apart (ryanuber/columnize, as Consul's CLI).
void print_columns(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], row[i].size());
    }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    std::cout << line << "\n";
  }
}

// Consul's CLI fills in what the table shows before printing (and -detailed shows it too): the
// default partition ("ap"), and a server's segment "<all>" (it asks for every segment) or a
// client's "<default>".
void fill_tags(member& m) {
  if (m.tags["ap"].empty()) m.tags["ap"] = "default";
  if (m.tags["ap"] != "default")
    m.tags["segment"] = "";
  else if (m.tags["role"] == "consul")
    m.tags["segment"] = "<all>";
  else if (m.tags["segment"].empty())
    m.tags["segment"] = "<default>";
}

// Servers first, then the default partition, then by segment, partition and name.
bool table_order(const member& a, const member& b) {
  auto key = [](const member& m) {
    return std::make_tuple(tag(m, "role") != "consul", tag(m, "ap") != "default", tag(m, "segment"), tag(m, "ap"), m.name);
  };
  return key(a) < key(b);
}

std::vector<std::string> standard_row(const member& m) {
  std::string build = tag(m, "build");
  if (build.empty())
    build = "< 0.3";
  else if (auto colon = build.find(':'); colon != std::string::npos)
    build = build.substr(0, colon);
  std::string role = tag(m, "role");
  if (role != "consul" && role != "node") return {m.name, address_of(m), status_name(m.status), "unknown", "", "", "", "", ""};
  return {m.name, address_of(m), status_name(m.status), role == "consul" ? "server" : "client", build, tag(m, "vsn"),
          tag(m, "dc"), tag(m, "ap"), tag(m, "segment")};
}

std::vector<std::string> detailed_row(const member& m) {
  std::string tags;  // std::map: sorted by key, as Consul sorts them
  for (const auto& [k, v] : m.tags) {
    if (!tags.empty()) tags += ',';
    tags += k;
    tags += '=';
    tags += v;
  }
  return {m.name, address_of(m), status_name(m.status), tags};
}

boost::asio::awaitable<int> list_members(coconsul::client& consul, bool detailed, std::string status, bool wan) {
  auto pool = wan ? gossip_pool::wan : gossip_pool::lan;
  auto [ec, diag, result] = co_await consul.agent().members(
      pool, query_options(), coconsul::pass_diagnostics(boost::asio::as_tuple(boost::asio::use_awaitable)));
  if (ec) {
    std::cerr << "Error retrieving members: " << (diag.message.empty() ? ec.message() : diag.message) << "\n";
    co_return exit_failed;
  }
  std::vector<member> members = std::move(result.value);
  for (auto& m : members) fill_tags(m);
  std::sort(members.begin(), members.end(), table_order);
  std::regex wanted(status.empty() ? ".*" : status);
  std::vector<std::vector<std::string>> rows;
  if (detailed)
    rows.push_back({"Node", "Address", "Status", "Tags"});
  else
    rows.push_back({"Node", "Address", "Status", "Type", "Build", "Protocol", "DC", "Partition", "Segment"});
  for (const auto& m : members) {
    if (!std::regex_search(status_name(m.status), wanted)) continue;
    rows.push_back(detailed ? detailed_row(m) : standard_row(m));
  }
  // Consul prints nothing and exits 2 when no member matches the filter.
  if (rows.size() == 1) co_return exit_usage;
  print_columns(rows);
  co_return exit_ok;
}

}  // namespace

int run_members_command(int argc, char** argv) {
  bool detailed = false, wan = false;
  std::string status;
  command_line cmd("members", members_usage);
  cmd.flags().add_switch("detailed", detailed);
  cmd.flags().add_switch("wan", wan);
  cmd.flags().add_value("status", status);
  if (auto exit = cmd.parse(argc, argv, 0, 0)) return *exit;
  try {
    std::regex check(status);
  } catch (const std::regex_error& e) {
    std::cerr << "Failed to compile status regexp: " << e.what() << "\n";  // Consul's words and exit code
    return exit_failed;
  }
  return cmd.run([&](coconsul::client& c) { return list_members(c, detailed, status, wan); });
}

}  // namespace coconsul::cli
