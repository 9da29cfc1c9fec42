#pragma once
// The documented Consul payloads copied into test/data/samples (see SOURCES.md there).

#include "test_data_dir.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>

namespace model_test {

inline std::string samples_dir() { return COCONSUL_TEST_DATA_DIR "/samples"; }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string sample(const std::string& name) { return read_file(samples_dir() + "/" + name); }

// The files SOURCES.md marks **INVALID JSON** (the docs themselves are not valid JSON).
inline std::set<std::string> invalid_samples() {
  std::set<std::string> names;
  std::istringstream lines(sample("SOURCES.md"));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| ", 0) != 0 || line.find("**INVALID JSON**") == std::string::npos) continue;
    const auto end = line.find(' ', 2);
    names.insert(line.substr(2, end - 2));
  }
  return names;
}

}  // namespace model_test
