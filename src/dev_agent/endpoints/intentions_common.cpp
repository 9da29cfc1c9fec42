// The intention endpoints' shared helpers (intentions_common.hpp).

#include "dev_agent/endpoints/intentions_common.hpp"

#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/http/error.hpp"

#include <boost/beast/core/string.hpp>

#include <algorithm>

namespace coconsul::dev {
namespace ce = config_entries;

std::vector<ce::stored_entry> stored_intentions(const config_entry_state& entries) {
  std::vector<ce::stored_entry> out;
  for (const auto* rec : entries.list("service-intentions")) {
    ce::stored_entry se;
    // Stored bodies were normalized and validated on write: they always read.
    if (ce::parse_intentions_entry(rec->body, se.entry)) continue;
    se.create_index = rec->create_index;
    se.modify_index = rec->modify_index;
    out.push_back(std::move(se));
  }
  return out;
}

std::uint64_t intentions_index(const config_entry_state& entries) {
  return std::max<std::uint64_t>(entries.table_index(), 1);
}

void require_connect(const endpoint_context& c) {
  if (!c.connect.ca.enabled()) throw http_error{500, "Connect must be enabled in order to use this endpoint"};
}

bool is_default_name(std::string_view s) { return s.empty() || boost::beast::iequals(s, "default"); }

std::string parse_intention_name(std::string_view input, std::string_view what) {
  auto invalid = [&](std::string_view why) -> http_error {
    return http_error{500, std::string(what) + " \"" + std::string(input) + "\" is invalid: " + std::string(why)};
  };
  if (input.substr(0, 5) == "peer:") throw invalid("cannot specify a peer here");
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    auto slash = input.find('/', start);
    parts.push_back(input.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (parts.size() > 3) throw invalid("input can contain at most two '/'");
  std::string_view ns = parts.size() >= 2 ? parts[parts.size() - 2] : std::string_view();
  std::string_view partition = parts.size() == 3 ? parts[0] : std::string_view();
  if (!is_default_name(partition))
    throw http_error{500, "Invalid " + std::string(what) + " partition \"" + std::string(partition) +
                              "\": Partitions is a Consul Enterprise feature"};
  if (!is_default_name(ns))
    throw http_error{500, "Invalid " + std::string(what) + " namespace \"" + std::string(ns) +
                              "\": Namespaces is a Consul Enterprise feature"};
  return std::string(parts.back());
}

bool default_intention_allow(const endpoint_context& c) {
  return c.caller().authz().intention_default_allow().allowed;
}

}  // namespace coconsul::dev
