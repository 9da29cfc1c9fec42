// bench_json_parse [--instances N] [--rounds R]
//
// Parse speed of the project's one JSON parse (src/core/json_parse.hpp: Boost.JSON's
// basic_parser with correctly rounded doubles) against boost::json::parse as the baseline, in
// the same run, on two generated documents: a /v1/health/service response of N instances
// (default 5,000; compact, as Consul sends it: strings and integers, few doubles) and an
// /v1/agent/metrics-like list of N samples (six doubles each, 17 significant digits, the
// worst case for the exact conversion). Best of R alternating rounds per side (default 5).

#include "core/json_parse.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/version.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <unistd.h>

namespace json = boost::json;
using seconds = std::chrono::duration<double>;

namespace {

int usage() {
  std::fprintf(stderr, "usage: bench_json_parse [--instances N] [--rounds R]\n");
  return 2;
}

std::string first_line(const char* file, std::string_view prefix) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) return prefix.empty() ? line : line.substr(line.find(':') + 2);
  return "unknown";
}

// Instances shaped like Consul's /v1/health/service/:name (test/data/samples/health_service_response.json).
std::string health_response(std::size_t n) {
  json::array out;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string node = "node-" + std::to_string(i);
    const std::string addr = "10.1." + std::to_string(i / 250 % 250) + "." + std::to_string(i % 250);
    json::object check{{"Node", node},        {"CheckID", "service:web-" + std::to_string(i)},
                       {"Name", "Service 'web' check"}, {"Status", "passing"},
                       {"Notes", ""},         {"Output", "HTTP GET http://" + addr + ":8080/health: 200 OK"},
                       {"ServiceID", "web-" + std::to_string(i)}, {"ServiceName", "web"},
                       {"ServiceTags", json::array{"primary", "v2"}}, {"Type", "http"},
                       {"Namespace", "default"}, {"CreateIndex", 10 + i}, {"ModifyIndex", 20 + i}};
    json::object serf{{"Node", node}, {"CheckID", "serfHealth"}, {"Name", "Serf Health Status"},
                      {"Status", "passing"}, {"Notes", ""}, {"Output", "Agent alive and reachable"},
                      {"ServiceID", ""}, {"ServiceName", ""}, {"ServiceTags", json::array()},
                      {"Type", ""}, {"Namespace", "default"}, {"CreateIndex", 5}, {"ModifyIndex", 5}};
    json::object instance{
        {"Node", json::object{{"ID", "40e4a748-2192-161a-0510-" + std::to_string(100000000000 + i)},
                              {"Node", node}, {"Address", addr}, {"Datacenter", "dc1"},
                              {"TaggedAddresses", json::object{{"lan", addr}, {"wan", addr}}},
                              {"Meta", json::object{{"instance_type", "t2.medium"}}},
                              {"CreateIndex", 5}, {"ModifyIndex", 5}}},
        {"Service", json::object{{"ID", "web-" + std::to_string(i)}, {"Service", "web"},
                                 {"Tags", json::array{"primary", "v2"}}, {"Address", addr},
                                 {"Meta", json::object{{"version", "2.4.1"}}}, {"Port", 8080},
                                 {"Weights", json::object{{"Passing", 10}, {"Warning", 1}}},
                                 {"EnableTagOverride", false}, {"Namespace", "default"},
                                 {"CreateIndex", 10 + i}, {"ModifyIndex", 20 + i}}},
        {"Checks", json::array{check, serf}}};
    out.push_back(std::move(instance));
  }
  return json::serialize(out);
}

// Samples shaped like /v1/agent/metrics' (Count plus five doubles printed with 17 digits).
std::string metrics_samples(std::size_t n) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> ms(0.01, 2000.0);
  std::string out = "[";
  char buf[512];
  for (std::size_t i = 0; i < n; ++i) {
    const double a = ms(rng), b = ms(rng);
    std::snprintf(buf, sizeof buf,
                  "%s{\"Name\":\"consul.http.GET.v1.health.service.%zu\",\"Count\":%zu,\"Rate\":%.17g,"
                  "\"Sum\":%.17g,\"Min\":%.17g,\"Max\":%.17g,\"Mean\":%.17g,\"Stddev\":%.17g}",
                  i ? "," : "", i, i % 97 + 1, a / 10, a * 37, std::min(a, b), std::max(a, b), (a + b) / 2, a / 7);
    out += buf;
  }
  return out + "]";
}

// Seconds for one parse of `doc`, best of `rounds`, each round parsing it `reps` times.
template <class Parse>
double best(Parse parse, const std::string& doc, int reps, std::size_t& sink) {
  const auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < reps; ++r) sink += parse(doc).as_array().size();
  return seconds(std::chrono::steady_clock::now() - start).count() / reps;
}

struct side {
  double ours = 1e9;
  double boost = 1e9;
};

side measure(const std::string& doc, int rounds, std::size_t& sink) {
  auto ours = [](const std::string& d) { return coconsul::core::parse_json(d); };
  auto theirs = [](const std::string& d) { return json::parse(d); };
  // Both equal on a document whose doubles Boost.JSON happens to round right is not checked
  // here (json_parse_test does it); a parse that failed would have thrown.
  side s;
  const int reps = std::max(1, static_cast<int>(20'000'000 / (doc.size() + 1)));
  for (int r = 0; r < rounds; ++r) {
    s.boost = std::min(s.boost, best(theirs, doc, reps, sink));
    s.ours = std::min(s.ours, best(ours, doc, reps, sink));
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t instances = 5000;
  int rounds = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) return usage();
    char* end = nullptr;
    const long long v = std::strtoll(argv[++i], &end, 10);
    if (*end != '\0' || v <= 0) return usage();
    if (flag == "--instances")
      instances = static_cast<std::size_t>(v);
    else if (flag == "--rounds")
      rounds = static_cast<int>(v);
    else
      return usage();
  }

  const std::string health = health_response(instances);
  const std::string metrics = metrics_samples(instances);
  std::size_t sink = 0;
  const side h = measure(health, rounds, sink);
  const side m = measure(metrics, rounds, sink);

  std::printf("what: one parse of a generated JSON document to a boost::json::value: core::parse_json "
              "(correctly rounded doubles) against boost::json::parse, best of %d alternating rounds\n", rounds);
  std::printf("machine: %ld CPUs (nproc), %s; load average %s; g++ %s; Boost %d.%d.%d; %s build\n",
              sysconf(_SC_NPROCESSORS_ONLN), first_line("/proc/cpuinfo", "model name").c_str(),
              first_line("/proc/loadavg", "").c_str(), __VERSION__, BOOST_VERSION / 100000,
              BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100,
#ifdef NDEBUG
              "optimised (NDEBUG)"
#else
              "debug (no NDEBUG: numbers are not representative)"
#endif
  );
  auto report = [](const char* name, const std::string& doc, const side& s) {
    std::printf("%s: %zu bytes; boost::json::parse %.3f ms (%.0f MB/s); core::parse_json %.3f ms (%.0f MB/s); ratio %.3f\n",
                name, doc.size(), s.boost * 1e3, doc.size() / s.boost / 1e6, s.ours * 1e3, doc.size() / s.ours / 1e6,
                s.ours / s.boost);
  };
  report("health", health, h);
  report("metrics", metrics, m);
  std::printf("json_parse: instances=%zu health_ratio=%.3f metrics_ratio=%.3f (sink %zu)\n", instances,
              h.ours / h.boost, m.ours / m.boost, sink % 10);
  return 0;
}
