// Reads config files and directories (see sources.hpp).

#include "dev_agent/config/sources.hpp"

#include "dev_agent/config/config_error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace coconsul::dev::config {
namespace fs = std::filesystem;

namespace {

std::string format_of(const std::string& path) {
  auto ends = [&](std::string_view s) { return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0; };
  if (ends(".json")) return "json";
  if (ends(".hcl")) return "hcl";
  return "";
}

// Go's syscall error texts are strerror's, in lower case ("no such file or directory").
std::string go_errno_text(int e) {
  std::string s = std::strerror(e);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

source read_one(const std::string& path, const std::string& format) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw config_error("config: failed to read " + path + ": open " + path + ": " + go_errno_text(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return source{path, format.empty() ? format_of(path) : format, text.str()};
}

}  // namespace

std::vector<source> read_config_paths(const std::vector<std::string>& paths, const std::string& format,
                                      std::vector<std::string>& warnings) {
  std::vector<source> out;
  auto wanted = [&](const std::string& p) { return !format.empty() || !format_of(p).empty(); };
  auto skip = [&](const std::string& p) {
    warnings.push_back("skipping file " + p + ", extension must be .hcl or .json, or config format must be set");
  };
  for (const auto& path : paths) {
    std::error_code ec;
    auto st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      int e = ec ? ec.value() : ENOENT;
      throw config_error("config: Open failed on " + path + ". open " + path + ": " + go_errno_text(e));
    }
    if (!fs::is_directory(st)) {
      if (!wanted(path)) {
        skip(path);
        continue;
      }
      out.push_back(read_one(path, format));
      continue;
    }
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path, ec)) names.push_back(entry.path().filename().string());
    if (ec) throw config_error("config: Readdir failed on " + path + ". " + ec.message());
    std::sort(names.begin(), names.end());
    for (const auto& n : names) {
      std::string p = (fs::path(path) / n).string();
      if (fs::is_directory(p, ec)) continue;  // symlinks followed, subdirectories not read
      if (!wanted(p)) {
        skip(p);
        continue;
      }
      out.push_back(read_one(p, format));
    }
  }
  return out;
}

}  // namespace coconsul::dev::config
