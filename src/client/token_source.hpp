#pragma once
// The token a client's requests carry, kept current: the configured token, another one after
// client::set_token, or the content of config.token_file, re-read when the file has changed.
// Not a timer: one stat() when a request is built (about a microsecond, beside a round trip of
// tens), so a change is seen by the very next request and nothing runs behind the user's back.

#include <coconsul/config.hpp>
#include <coconsul/error.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace coconsul::detail {

class token_source {
 public:
  // Reads the token file now when there is one, into cfg.token. Throws coconsul::error
  // (errc::invalid_config) naming the file and the reason when it cannot be read.
  explicit token_source(config& cfg);

  // From now on `token` (which the caller puts in its config); the token file, if any, is no
  // longer followed.
  void set(std::string token);

  // Brings `token` (the config's, which request building reads) up to date with the token
  // file: re-read when its size, modification time or inode changed, or when it changed so
  // recently that a second change could share its timestamp. A non-empty file wins over the
  // configured token, an empty one leaves the configured token. A file that cannot be read is
  // errc::invalid_config with the path and the reason, never an empty token.
  error_code refresh(std::string& token, diagnostics& diag);

 private:
  struct file_identity {
    std::uint64_t device = 0, inode = 0, size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const file_identity&) const = default;
  };
  error_code read_file(std::string& token, diagnostics& diag);

  std::string configured_;  // config.token, or the last set(): used while the file is empty
  std::string path_;        // empty: no file followed
  file_identity seen_;
  bool racy_ = true;  // the file last read may change again within its timestamp's granularity
};

}  // namespace coconsul::detail
