#pragma once
// Command-line flags for the walkthrough examples: `--name value` pairs and bare switches,
// bound to variables, with -h/--help and a clear message (exit status 2) for anything wrong.
//
//   example::flags f("echo_server", usage);
//   f.text("--id", opts.id).number("--port", opts.port).duration("--check-interval", opts.interval);
//   f.parse(argc, argv);   // exits on --help (0) or a bad flag (2)

#include <coconsul/duration.hpp>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace example {

class flags {
 public:
  flags(std::string program, std::string usage) : program_(std::move(program)), usage_(std::move(usage)) {}

  flags& text(std::string name, std::string& out) {
    return bind(std::move(name), [&out](std::string_view v) { out = v; return true; });
  }
  // Repeatable: each occurrence appends.
  flags& list(std::string name, std::vector<std::string>& out) {
    return bind(std::move(name), [&out](std::string_view v) { out.emplace_back(v); return true; });
  }
  template <class Integer>
  flags& number(std::string name, Integer& out) {
    return bind(std::move(name), [&out](std::string_view v) {
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
      return ec == std::errc() && end == v.data() + v.size();
    });
  }
  // A Go duration, as Consul writes them: "5s", "250ms", "1m30s".
  template <class Duration>
  flags& duration(std::string name, Duration& out) {
    return bind(std::move(name), [&out](std::string_view v) {
      auto d = coconsul::try_parse_duration(v);
      if (!d) return false;
      out = std::chrono::duration_cast<Duration>(*d);
      return true;
    });
  }
  // A switch without a value.
  flags& toggle(std::string name, bool& out) {
    switches_[std::move(name)] = &out;
    return *this;
  }

  void parse(int argc, char** argv) const {
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      if (arg == "-h" || arg == "--help") {
        std::cout << usage_;
        std::exit(0);
      }
      if (auto s = switches_.find(arg); s != switches_.end()) {
        *s->second = true;
        continue;
      }
      auto v = valued_.find(arg);
      if (v == valued_.end()) fail("unknown option " + arg);
      if (i + 1 >= argc) fail(arg + " needs a value");
      std::string_view value = argv[++i];
      if (!v->second(value)) fail(arg + ": \"" + std::string(value) + "\" is not a valid value");
    }
  }

  [[noreturn]] void fail(const std::string& why) const {
    std::cerr << program_ << ": " << why << "\n" << usage_;
    std::exit(2);
  }

 private:
  flags& bind(std::string name, std::function<bool(std::string_view)> set) {
    valued_[std::move(name)] = std::move(set);
    return *this;
  }

  std::string program_, usage_;
  std::map<std::string, std::function<bool(std::string_view)>> valued_;
  std::map<std::string, bool*> switches_;
};

// Milliseconds since the Unix epoch: the examples stamp their events with it so that a script
// can time what happened in several processes on one clock.
inline long long epoch_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace example
