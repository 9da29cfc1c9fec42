// service-splitter: Consul's ServiceSplitterConfigEntry Normalize (weights rounded to 0.01) and
// Validate (no repeated destination, weights summing to 100). The chains it changes are
// compiled after the ACL check (kinds.hpp check_write).

#include "dev_agent/config_entries/common_rules.hpp"
#include "dev_agent/config_entries/entry_fields.hpp"
#include "dev_agent/config_entries/hooks.hpp"

#include <cmath>
#include <cstdio>
#include <set>
#include <tuple>

namespace coconsul::dev::config_entries {

namespace json = boost::json;

namespace {
// scaleWeight: uint32(math.Round(float64(weight * 100))), the product taken in float32.
std::uint32_t scale(double weight) {
  float scaled = static_cast<float>(weight) * 100.0f;
  double r = std::round(static_cast<double>(scaled));
  return r <= 0 ? 0u : r >= 4294967295.0 ? 4294967295u : static_cast<std::uint32_t>(r);
}
}  // namespace

std::optional<std::string> normalize_validate_service_splitter(json::object& e, const kind_context&) {
  e["Kind"] = "service-splitter";
  if (auto* splits = arr(e, "Splits"))
    for (auto& s : *splits) {
      auto& o = s.as_object();
      o["Weight"] = as_float32(static_cast<float>(scale(number(o, "Weight"))) / 100.0f);
    }

  if (str(e, "Name").empty()) return "Name is required";
  const auto* splits = arr(e, "Splits");
  if (!splits || splits->empty()) return "no splits configured";
  if (auto m = meta_error(e)) return m;
  std::set<std::tuple<std::string, std::string, std::string, std::string>> seen;
  for (const auto& s : *splits) {
    const auto& o = s.as_object();
    std::string service(str(o, "Service"));
    if (service.empty()) service = str(e, "Name");
    auto key = std::make_tuple(service, std::string(str(o, "ServiceSubset")), std::string(str(o, "Namespace")),
                               std::string(str(o, "Partition")));
    if (!seen.insert(key).second)
      return "split destination occurs more than once: service=" + go_quote(std::get<0>(key)) +
             ", subset=" + go_quote(std::get<1>(key)) + ", namespace=" + go_quote(std::get<2>(key)) +
             ", partition=" + go_quote(std::get<3>(key));
  }
  std::uint32_t sum = 0;
  for (const auto& s : *splits) sum += scale(number(s.as_object(), "Weight"));
  if (sum != 100 * 100) {
    char text[64];
    std::snprintf(text, sizeof text, "%f", static_cast<double>(static_cast<float>(sum) / 100.0f));
    return std::string("the sum of all split weights must be 100, not ") + text;
  }
  return std::nullopt;  // the chain checks run after the ACL check (kinds.hpp check_write)
}

}  // namespace coconsul::dev::config_entries
