// Links against the installed library and uses it: parses a duration and a configuration.
#include <coconsul/config.hpp>
#include <coconsul/duration.hpp>

#include <iostream>

int main() {
  const auto d = coconsul::parse_duration("1m30s");
  const auto ep = coconsul::parse_agent_endpoint(coconsul::config{}.address);
  std::cout << coconsul::format_duration(d) << " " << ep.authority() << "\n";
  return coconsul::format_duration(d) == "1m30s" && ep.port == 8500 ? 0 : 1;
}
