// `coconsul version` in `consul version`'s format (command/version/formatter.go).

#include "cli/version_command.hpp"

#include "dev_agent/common/versions.hpp"

#include <iostream>
#include <string>

namespace coconsul::cli {
namespace {

// What an unstamped Consul build reports (version/version.go).
constexpr const char* build_date = "1970-01-01T00:00:01Z";
constexpr const char* revision = "coconsul";

void print_pretty() {
  using namespace dev;
  std::cout << "Consul v" << consul_version << "\n"
            << "Revision " << revision << "\n"
            << "Build Date " << build_date << "\n"
            << "Protocol " << consul_protocol_default << " spoken by default, understands " << consul_protocol_min
            << " to " << consul_protocol_max << " (agent will automatically use protocol >" << consul_protocol_default
            << " when speaking to compatible agents)\n"
            << "coconsul v" << coconsul_version << " (the Consul version above is the API it follows)\n";
}

// Go's json.MarshalIndent with a 3-space indent, in the struct's field order; coconsul's own
// version is one more field at the end.
void print_json() {
  using namespace dev;
  std::cout << "{\n"
            << "   \"Version\": \"" << consul_version << "\",\n"
            << "   \"Revision\": \"" << revision << "\",\n"
            << "   \"Prerelease\": \"\",\n"
            << "   \"BuildDate\": \"" << build_date << "\",\n"
            << "   \"RPC\": {\n"
            << "      \"Default\": " << consul_protocol_default << ",\n"
            << "      \"Min\": " << consul_protocol_min << ",\n"
            << "      \"Max\": " << consul_protocol_max << "\n"
            << "   },\n"
            << "   \"Coconsul\": {\n"
            << "      \"Version\": \"" << coconsul_version << "\"\n"
            << "   }\n"
            << "}\n";
}

}  // namespace

int run_version_command(int argc, char** argv) {
  std::string format = "pretty";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string name = arg.rfind("--", 0) == 0 ? arg.substr(1) : arg;
    if (name == "-h" || name == "-help") {
      std::cout << "Usage: coconsul version [-format=pretty|json]\n\n"
                   "Prints the Consul version whose HTTP API coconsul follows, in `consul version`'s format,\n"
                   "and coconsul's own version.\n";
      return 0;
    }
    if (name.rfind("-format=", 0) == 0) {
      format = name.substr(8);
    } else if (name == "-format") {
      if (i + 1 >= argc) {
        std::cerr << "flag needs an argument: -format\nUsage: coconsul version [-format=pretty|json]\n";
        return 1;
      }
      format = argv[++i];
    } else {
      std::cerr << "flag provided but not defined: " << name << "\nUsage: coconsul version [-format=pretty|json]\n";
      return 1;
    }
  }
  if (format == "pretty") {
    print_pretty();
  } else if (format == "json") {
    print_json();
  } else {
    std::cerr << "error: format \"" << format << "\" is not supported (pretty or json)\n";
    return 1;
  }
  return 0;
}

}  // namespace coconsul::cli
