// /v1/agent/host: the host as gopsutil describes it to Consul (debug.CollectHostInfo), read from
// /proc, uname, sysinfo and statvfs. gopsutil's JSON names (camelCase) are kept. A part that
// cannot be read leaves its zero values and adds its error to Errors, as Consul does.

#include "dev_agent/endpoints/agent_self.hpp"

#include <boost/json.hpp>

#include <sys/statvfs.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace coconsul::dev {
namespace json = boost::json;

namespace {

std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t\"");
  auto e = s.find_last_not_of(" \t\"\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string first_line(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return trim(line);
}

double percent(double part, double whole) { return whole > 0 ? part * 100.0 / whole : 0.0; }

json::object memory(json::array& errors) {
  std::map<std::string, std::uint64_t> kb;
  std::ifstream in("/proc/meminfo");
  if (!in) errors.emplace_back("open /proc/meminfo: no such file or directory");
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::istringstream value(line.substr(colon + 1));
    std::uint64_t v = 0;
    value >> v;
    kb[line.substr(0, colon)] = v;
  }
  auto bytes = [&](const char* k) { return kb.count(k) ? kb[k] * 1024 : 0; };
  std::uint64_t total = bytes("MemTotal"), available = bytes("MemAvailable"), free = bytes("MemFree");
  std::uint64_t used = total > available ? total - available : 0;
  json::object m;
  m["total"] = total;
  m["available"] = available;
  m["used"] = used;
  m["usedPercent"] = percent(static_cast<double>(used), static_cast<double>(total));
  m["free"] = free;
  m["active"] = bytes("Active");
  m["inactive"] = bytes("Inactive");
  m["buffers"] = bytes("Buffers");
  m["cached"] = bytes("Cached");
  m["shared"] = bytes("Shmem");
  m["slab"] = bytes("Slab");
  m["swapTotal"] = bytes("SwapTotal");
  m["swapFree"] = bytes("SwapFree");
  return m;
}

json::array cpus(json::array& errors) {
  json::array out;
  std::ifstream in("/proc/cpuinfo");
  if (!in) {
    errors.emplace_back("open /proc/cpuinfo: no such file or directory");
    return out;
  }
  json::object cpu;
  auto flush = [&] {
    if (!cpu.empty()) out.emplace_back(std::move(cpu));
    cpu = json::object();
  };
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) {
      flush();
      continue;
    }
    std::string key = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
    auto as_int = [&] { return std::strtoll(value.c_str(), nullptr, 10); };
    if (key == "processor") cpu["cpu"] = as_int();
    else if (key == "vendor_id") cpu["vendorId"] = value;
    else if (key == "cpu family") cpu["family"] = value;
    else if (key == "model") cpu["model"] = value;
    else if (key == "stepping") cpu["stepping"] = as_int();
    else if (key == "physical id") cpu["physicalId"] = value;
    else if (key == "core id") cpu["coreId"] = value;
    else if (key == "cpu cores") cpu["cores"] = as_int();
    else if (key == "model name") cpu["modelName"] = value;
    else if (key == "cpu MHz") cpu["mhz"] = std::strtod(value.c_str(), nullptr);
    else if (key == "cache size") cpu["cacheSize"] = as_int();
    else if (key == "microcode") cpu["microcode"] = value;
    else if (key == "flags") {
      json::array flags;
      std::istringstream words(value);
      for (std::string w; words >> w;) flags.emplace_back(w);
      cpu["flags"] = std::move(flags);
    }
  }
  flush();
  return out;
}

// /etc/os-release's ID and VERSION_ID, as gopsutil's platform and platformVersion.
std::map<std::string, std::string> os_release() {
  std::map<std::string, std::string> out;
  std::ifstream in("/etc/os-release");
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = trim(line.substr(eq + 1));
  }
  return out;
}

json::object host(json::array& errors) {
  json::object h;
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) errors.emplace_back("gethostname failed");
  h["hostname"] = name;
  struct sysinfo si {};
  std::uint64_t uptime = 0;
  if (sysinfo(&si) == 0) uptime = static_cast<std::uint64_t>(si.uptime);
  else errors.emplace_back("sysinfo failed");
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  h["uptime"] = uptime;
  h["bootTime"] = static_cast<std::uint64_t>(now.count()) - uptime;
  h["procs"] = static_cast<std::uint64_t>(si.procs);
  struct utsname u {};
  uname(&u);
  auto rel = os_release();
  h["os"] = "linux";
  h["platform"] = rel["ID"];
  h["platformFamily"] = rel.count("ID_LIKE") ? rel["ID_LIKE"] : rel["ID"];
  h["platformVersion"] = rel["VERSION_ID"];
  h["kernelVersion"] = u.release;
  h["kernelArch"] = u.machine;
  h["virtualizationSystem"] = "";
  h["virtualizationRole"] = "";
  h["hostId"] = first_line("/etc/machine-id");
  return h;
}

// Consul reports the disk of its data directory; this agent has none, so the root file system.
json::object disk(json::array& errors) {
  json::object d;
  struct statvfs st {};
  d["path"] = "/";
  d["fstype"] = "";
  if (statvfs("/", &st) != 0) {
    errors.emplace_back("statvfs /: failed");
    return d;
  }
  std::uint64_t total = st.f_blocks * st.f_frsize, free = st.f_bavail * st.f_frsize;
  std::uint64_t used = (st.f_blocks - st.f_bfree) * st.f_frsize;
  d["total"] = total;
  d["free"] = free;
  d["used"] = used;
  d["usedPercent"] = percent(static_cast<double>(used), static_cast<double>(used + free));
  d["inodesTotal"] = static_cast<std::uint64_t>(st.f_files);
  d["inodesUsed"] = static_cast<std::uint64_t>(st.f_files - st.f_ffree);
  d["inodesFree"] = static_cast<std::uint64_t>(st.f_ffree);
  d["inodesUsedPercent"] = percent(static_cast<double>(st.f_files - st.f_ffree), static_cast<double>(st.f_files));
  return d;
}

}  // namespace

json::object host_info() {
  json::array errors;
  json::object out;
  out["Memory"] = memory(errors);
  out["CPU"] = cpus(errors);
  out["Host"] = host(errors);
  out["Disk"] = disk(errors);
  out["CollectionTime"] = std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  out["Errors"] = errors.empty() ? json::value(nullptr) : json::value(std::move(errors));
  return out;
}

}  // namespace coconsul::dev
