// `coconsul register FILE.json` and `coconsul deregister ID`: services on the local agent,
// as `consul services register` and `consul services deregister` do it.
#include "cli/commands.hpp"

#include "cli/command_support.hpp"
#include "core/json_parse.hpp"

#include <coconsul/json.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/grammar/ci_string.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace coconsul::cli {
namespace {

constexpr std::string_view register_usage = R"(Usage: coconsul register FILE.json [options]

Registers the services a definition file describes with the local agent
(agent().register_service). FILE is JSON in either shape ("-" reads stdin):
  {"Service": {"Name": "web", "Port": 8080, ...}}     as Consul's service definition files
                                                      ({"Services": [...]} for several)
  {"Name": "web", "Port": 8080, ...}                  the bare registration, as the HTTP API takes it
Field names as Consul's API spells them (Name, Port, Tags, Meta, Check, Checks, ...) or as its
configuration files do (name, port, deregister_critical_service_after, ...).

Options:
  -replace-existing-checks   remove the service's checks that the file does not list
)";

constexpr std::string_view deregister_usage = R"(Usage: coconsul deregister ID [options]
       coconsul deregister FILE.json [options]

Removes a service, and its checks, from the local agent: the service with this ID, or the
services a definition file describes (their ID, or their Name when they have no ID). A service
the agent does not have is an error (exit 1).
)";

std::string read_input(const std::string& path) {
  std::stringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  text << in.rdbuf();
  return text.str();
}

// The registrations in a definition file: {"Service": {...}}, {"Services": [...]} or the bare
// object. Throws std::runtime_error naming the file and what is wrong.
std::vector<service_registration> read_definitions(const std::string& path) {
  const std::string text = read_input(path);
  const std::string where = path == "-" ? std::string("stdin") : path;
  boost::system::error_code ec;
  boost::json::value doc = core::parse_json(text, ec);
  if (ec) throw std::runtime_error(where + " is not valid JSON: " + ec.message());
  if (!doc.is_object()) throw std::runtime_error(where + ": expected a JSON object (a service definition)");

  std::vector<service_registration> out;
  auto decode_one = [&](const boost::json::value& v, const std::string& at) {
    diagnostics diag;
    service_registration reg;
    if (decode_json(boost::json::serialize(v), reg, diag)) throw std::runtime_error(where + at + ": " + diag.message);
    out.push_back(std::move(reg));
  };
  for (const auto& member : doc.as_object()) {
    if (boost::urls::grammar::ci_is_equal(member.key(), "service") && member.value().is_object()) {
      decode_one(member.value(), " (Service)");
      return out;
    }
    if (boost::urls::grammar::ci_is_equal(member.key(), "services") && member.value().is_array()) {
      const auto& list = member.value().as_array();
      for (std::size_t i = 0; i < list.size(); ++i) decode_one(list[i], " (Services[" + std::to_string(i) + "])");
      if (out.empty()) throw std::runtime_error(where + ": \"Services\" is empty");
      return out;
    }
  }
  decode_one(doc, "");
  return out;
}

boost::asio::awaitable<int> register_all(coconsul::client& consul, std::vector<service_registration> regs,
                                         coconsul::register_options options) {
  for (auto& reg : regs) {
    std::string name = reg.name;
    co_await consul.agent().register_service(std::move(reg), options);
    std::cout << "Registered service: " << name << "\n";
  }
  co_return exit_ok;
}

boost::asio::awaitable<int> deregister_all(coconsul::client& consul, std::vector<std::string> ids) {
  for (const auto& id : ids) {
    co_await consul.agent().deregister_service(id);
    std::cout << "Deregistered service: " << id << "\n";
  }
  co_return exit_ok;
}

bool is_definition_file(const std::string& arg) {
  return arg == "-" || (arg.size() > 5 && arg.compare(arg.size() - 5, 5, ".json") == 0);
}

}  // namespace

int run_register_command(int argc, char** argv) {
  coconsul::register_options options;
  command_line cmd("register", register_usage);
  cmd.flags().add_switch("replace-existing-checks", options.replace_existing_checks);
  if (auto exit = cmd.parse(argc, argv, 1, 1, "the service definition file")) return *exit;
  std::vector<service_registration> regs;
  try {
    regs = read_definitions(cmd.args()[0]);
  } catch (const std::exception& e) {
    std::cerr << "coconsul register: " << e.what() << "\n";
    return exit_failed;
  }
  return cmd.run([&](coconsul::client& c) { return register_all(c, regs, options); });
}

int run_deregister_command(int argc, char** argv) {
  command_line cmd("deregister", deregister_usage);
  if (auto exit = cmd.parse(argc, argv, 1, 1, "the service ID")) return *exit;
  const std::string& target = cmd.args()[0];
  std::vector<std::string> ids;
  if (is_definition_file(target)) {
    try {
      for (const auto& reg : read_definitions(target)) ids.push_back(reg.id.empty() ? reg.name : reg.id);
    } catch (const std::exception& e) {
      std::cerr << "coconsul deregister: " << e.what() << "\n";
      return exit_failed;
    }
  } else {
    ids.push_back(target);
  }
  return cmd.run([&](coconsul::client& c) { return deregister_all(c, ids); });
}

}  // namespace coconsul::cli
