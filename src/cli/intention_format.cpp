// `coconsul intention`'s output formats (intention_format.hpp).
#include "cli/intention_format.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace coconsul::cli {

namespace {
std::string part(const std::string& ns, const std::string& name) {
  if (!ns.empty() && ns != "default") return ns + "/" + name;
  return name;
}
}  // namespace

std::string describe_intention(const intention& ixn) {
  std::string detail;
  switch (ixn.permissions.size()) {
    case 0: detail = ixn.action; break;
    case 1: detail = "1 permission"; break;
    default: detail = std::to_string(ixn.permissions.size()) + " permissions"; break;
  }
  return part(ixn.source_ns, ixn.source_name) + " => " + part(ixn.destination_ns, ixn.destination_name) + " (" +
         detail + ")";
}

std::string columns(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], r[i].size());
    }
  std::string out;
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) {
      out += r[i];
      if (i + 1 < r.size()) out += std::string(width[i] - r[i].size() + 2, ' ');
    }
    out += "\n";
  }
  return out;
}

std::string rfc850_local(const std::string& go_time) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (go_time.empty() || std::sscanf(go_time.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s) != 6)
    return "Monday, 01-Jan-01 00:00:00 UTC";  // Go's zero time
  std::tm utc{};
  utc.tm_year = y - 1900;
  utc.tm_mon = mo - 1;
  utc.tm_mday = d;
  utc.tm_hour = h;
  utc.tm_min = mi;
  utc.tm_sec = s;
  std::time_t t = timegm(&utc);
  std::tm local{};
  localtime_r(&t, &local);
  char buf[64];
  std::strftime(buf, sizeof buf, "%A, %d-%b-%y %H:%M:%S %Z", &local);
  return buf;
}

}  // namespace coconsul::cli
