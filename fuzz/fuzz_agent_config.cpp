// libFuzzer target: `coconsul agent`'s config loader (src/dev_agent/config/) on any bytes, read
// as a JSON config file (after a first line of command-line flags, split at spaces): the flags
// parse or are refused, the file loads or is refused, always with config_error and a message,
// nothing else and no crash; what loads gives definitions that are JSON objects.
#include "dev_agent/config/config_error.hpp"
#include "dev_agent/config/flags.hpp"
#include "dev_agent/config/load.hpp"

#include <boost/json/parse.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {
using namespace coconsul::dev::config;

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

void load_once(const std::vector<std::string>& args, const std::string& file) {
  agent_flags flags;
  try {
    flags = parse_agent_flags(args);
  } catch (const config_error& e) {
    if (std::string_view(e.what()).empty()) fail("a flag refusal without a message", "");
    flags = agent_flags();
    flags.dev = true;
  }
  std::vector<source> files{source{"fuzz.json", "json", file}};
  try {
    auto r = load(flags, files, 1024);
    for (const auto& d : r.options.service_definitions)
      if (!boost::json::parse(d).is_object()) fail("a service definition that is not an object", d);
    for (const auto& d : r.options.check_definitions)
      if (!boost::json::parse(d).is_object()) fail("a check definition that is not an object", d);
  } catch (const config_error& e) {
    if (std::string_view(e.what()).empty()) fail("a config refusal without a message", file);
  } catch (const std::exception& e) {
    fail("an exception other than config_error", e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto newline = text.find('\n');
  std::string first = newline == std::string::npos ? "" : text.substr(0, newline);
  std::string file = newline == std::string::npos ? text : text.substr(newline + 1);
  std::vector<std::string> args;
  std::istringstream words(first);
  for (std::string w; words >> w;) args.push_back(w);
  load_once(args, file);
  return 0;
}
