// token_source: the configured token, a switched one, or the token file's content re-read when
// the file's identity changes (see token_source.hpp for why per request and not on a timer).
#include "client/token_source.hpp"

#include "core/text.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace coconsul::detail {
namespace {

// File systems stamp modification times coarsely (a kernel tick, or whole seconds): a second
// same-size write within that window leaves every stat() field as it was. A file modified this
// recently before it was read is read again on the next request.
constexpr std::chrono::seconds timestamp_granularity{2};

std::string trim(std::string s) {
  const auto* ws = " \t\r\n";
  s.erase(s.find_last_not_of(ws) + 1);
  s.erase(0, s.find_first_not_of(ws));
  return s;
}

error_code unreadable(diagnostics& diag, const std::string& path, std::string_view why) {
  diag.http_status = 0;
  diag.message = "token file " + core::quoted(path) + ": " + std::string(why);
  return make_error_code(errc::invalid_config);
}

}  // namespace

token_source::token_source(config& cfg) : configured_(cfg.token), path_(cfg.token_file) {
  if (path_.empty()) return;
  diagnostics diag;
  throw_if(read_file(cfg.token, diag), diag);
}

void token_source::set(std::string token) {
  configured_ = std::move(token);
  path_.clear();
}

error_code token_source::refresh(std::string& token, diagnostics& diag) {
  if (path_.empty()) return {};  // `token` is already the configured or the switched one
  return read_file(token, diag);
}

error_code token_source::read_file(std::string& token, diagnostics& diag) {
  struct ::stat st {};
  if (::stat(path_.c_str(), &st) != 0) return unreadable(diag, path_, std::strerror(errno));
  const file_identity now_seen{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                               static_cast<std::uint64_t>(st.st_size),
                               static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
  if (now_seen == seen_ && !racy_) return {};

  std::ifstream in(path_, std::ios::binary);
  if (!in) return unreadable(diag, path_, std::strerror(errno));
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return unreadable(diag, path_, "read failed");
  std::string from_file = trim(content.str());
  if (core::has_control(from_file)) return unreadable(diag, path_, "the token contains control characters");

  const auto read_at = std::chrono::system_clock::now().time_since_epoch();
  racy_ = read_at - std::chrono::nanoseconds(now_seen.mtime_ns) < timestamp_granularity;
  seen_ = now_seen;
  token = from_file.empty() ? configured_ : std::move(from_file);
  return {};
}

}  // namespace coconsul::detail
