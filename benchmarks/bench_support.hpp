#pragma once
// What the in-process benchmarks share: their "--name N" flags, and running the measurement
// against a dev agent on the client's own io_context.
//
//   if (!parse_size_flags(argc, argv, {{"--watchers", &opt.watchers}, {"--services", &opt.services}}))
//     return usage();
//   if (!run_with_dev_agent("bench_x", [&](coconsul::client& c) { return measure(opt, c, out); })) return 1;

#include <coconsul/client.hpp>
#include <coconsul/dev_agent.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <cstdlib>
#include <exception>
#include <initializer_list>
#include <iostream>
#include <string_view>
#include <utility>

// Sets each named count; false for an unknown flag, a missing value, or a value that is not a
// whole number above zero.
inline bool parse_size_flags(int argc, char** argv,
                             std::initializer_list<std::pair<std::string_view, std::size_t*>> flags) {
  for (int i = 1; i < argc; ++i) {
    std::size_t* target = nullptr;
    for (const auto& [name, out] : flags)
      if (argv[i] == name) target = out;
    if (target == nullptr || i + 1 >= argc) return false;
    char* end = nullptr;
    const char* text = argv[++i];
    const unsigned long long value = std::strtoull(text, &end, 10);
    if (end == text || *end != '\0' || value == 0) return false;
    *target = static_cast<std::size_t>(value);
  }
  return true;
}

// Runs measure(consul) to its end on one thread, with an in-process dev agent on the same
// io_context (its work is in the times, its memory in the baseline). Returns false, having said
// why on stderr as "<program>: <what>", when the measurement threw or did not finish.
template <class Measure>
bool run_with_dev_agent(std::string_view program, Measure measure) {
  boost::asio::io_context ioc;
  coconsul::dev_agent_options agent_options;
  agent_options.node_name = "bench-node";
  agent_options.level = coconsul::dev_agent_options::log_level::error;
  coconsul::dev_agent agent(ioc.get_executor(), agent_options);
  agent.start();
  coconsul::config cfg;
  cfg.address = agent.http_address();
  coconsul::client consul(ioc, cfg);

  std::exception_ptr failure;
  bool done = false;
  boost::asio::co_spawn(ioc, measure(consul), [&](std::exception_ptr e) {
    failure = e;
    done = true;
    ioc.stop();
  });
  ioc.run();
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      std::cerr << program << ": " << e.what() << "\n";
    }
    return false;
  }
  if (!done) std::cerr << program << ": the measurement did not finish\n";
  return done;
}
