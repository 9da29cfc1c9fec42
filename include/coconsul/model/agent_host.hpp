#pragma once
// What the agent reports about where it runs and what it measures: GET /v1/agent/host
// (gopsutil's structures, with their camelCase names) and GET /v1/agent/metrics (go-metrics'
// in-memory summary).

#include <coconsul/model/wire.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace coconsul {

struct host_memory {
  std::uint64_t total = 0;
  std::uint64_t available = 0;
  std::uint64_t used = 0;
  double used_percent = 0;
  std::uint64_t free = 0;

  bool operator==(const host_memory&) const = default;
};
COCONSUL_WIRE_STRUCT(host_memory, (total, "total"), (available, "available"), (used, "used"),
                     (used_percent, "usedPercent"), (free, "free"))

struct host_cpu {
  int cpu = 0;
  std::string vendor_id{};
  std::string family{};
  std::string model{};
  int stepping = 0;
  std::string physical_id{};
  std::string core_id{};
  int cores = 0;
  std::string model_name{};
  double mhz = 0;
  int cache_size = 0;
  std::vector<std::string> flags{};
  std::string microcode{};

  bool operator==(const host_cpu&) const = default;
};
COCONSUL_WIRE_STRUCT(host_cpu, (cpu, "cpu"), (vendor_id, "vendorId"), (family, "family"), (model, "model"),
                     (stepping, "stepping"), (physical_id, "physicalId"), (core_id, "coreId"), (cores, "cores"),
                     (model_name, "modelName"), (mhz, "mhz"), (cache_size, "cacheSize"), (flags, "flags"),
                     (microcode, "microcode"))

struct host_system {
  std::string hostname{};
  std::uint64_t uptime = 0;     // seconds
  std::uint64_t boot_time = 0;  // Unix seconds
  std::uint64_t procs = 0;
  std::string os{};
  std::string platform{};
  std::string platform_family{};
  std::string platform_version{};
  std::string kernel_version{};
  std::string kernel_arch{};
  std::string virtualization_system{};
  std::string virtualization_role{};
  std::string host_id{};

  bool operator==(const host_system&) const = default;
};
COCONSUL_WIRE_STRUCT(host_system, (hostname, "hostname"), (uptime, "uptime"), (boot_time, "bootTime"),
                     (procs, "procs"), (os, "os"), (platform, "platform"), (platform_family, "platformFamily"),
                     (platform_version, "platformVersion"), (kernel_version, "kernelVersion"),
                     (kernel_arch, "kernelArch"), (virtualization_system, "virtualizationSystem"),
                     (virtualization_role, "virtualizationRole"), (host_id, "hostId"))

struct host_disk {
  std::string path{};
  std::string fstype{};
  std::uint64_t total = 0;
  std::uint64_t free = 0;
  std::uint64_t used = 0;
  double used_percent = 0;
  std::uint64_t inodes_total = 0;
  std::uint64_t inodes_used = 0;
  std::uint64_t inodes_free = 0;
  double inodes_used_percent = 0;

  bool operator==(const host_disk&) const = default;
};
COCONSUL_WIRE_STRUCT(host_disk, (path, "path"), (fstype, "fstype"), (total, "total"), (free, "free"),
                     (used, "used"), (used_percent, "usedPercent"), (inodes_total, "inodesTotal"),
                     (inodes_used, "inodesUsed"), (inodes_free, "inodesFree"),
                     (inodes_used_percent, "inodesUsedPercent"))

// GET /v1/agent/host. (Consul's Errors, Go error values that encode as {}, are not modelled.)
struct agent_host {
  host_memory memory{};
  std::vector<host_cpu> cpu{};
  host_system host{};
  host_disk disk{};
  std::int64_t collection_time = 0;  // Unix nanoseconds

  bool operator==(const agent_host&) const = default;
};
COCONSUL_WIRE_STRUCT(agent_host, (memory, "Memory"), (cpu, "CPU"), (host, "Host"), (disk, "Disk"),
                     (collection_time, "CollectionTime"))

struct metrics_gauge {
  std::string name{};
  double value = 0;
  std::map<std::string, std::string> labels{};

  bool operator==(const metrics_gauge&) const = default;
};
COCONSUL_WIRE_STRUCT(metrics_gauge, (name, "Name"), (value, "Value"), (labels, "Labels"))

struct metrics_points {
  std::string name{};
  std::vector<double> points{};

  bool operator==(const metrics_points&) const = default;
};
COCONSUL_WIRE_STRUCT(metrics_points, (name, "Name"), (points, "Points"))

// A counter or a sample, aggregated over the reported interval.
struct metrics_summary {
  std::string name{};
  std::int64_t count = 0;
  double rate = 0;  // sum per second
  double sum = 0;
  double min = 0;
  double max = 0;
  double mean = 0;
  double stddev = 0;
  std::map<std::string, std::string> labels{};

  bool operator==(const metrics_summary&) const = default;
};
COCONSUL_WIRE_STRUCT(metrics_summary, (name, "Name"), (count, "Count"), (rate, "Rate"), (sum, "Sum"),
                     (min, "Min"), (max, "Max"), (mean, "Mean"), (stddev, "Stddev"), (labels, "Labels"))

// GET /v1/agent/metrics (JSON).
struct agent_metrics {
  std::string timestamp{};  // "2017-08-08 02:55:10 +0000 UTC"
  std::vector<metrics_gauge> gauges{};
  std::vector<metrics_points> points{};
  std::vector<metrics_summary> counters{};
  std::vector<metrics_summary> samples{};

  bool operator==(const agent_metrics&) const = default;
};
COCONSUL_WIRE_STRUCT(agent_metrics, (timestamp, "Timestamp"), (gauges, "Gauges"), (points, "Points"),
                     (counters, "Counters"), (samples, "Samples"))

}  // namespace coconsul
