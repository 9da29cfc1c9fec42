#pragma once
// An error a handler reports: the HTTP status and the plain-text body (Consul answers its
// errors as text). The dispatcher turns it into the response.

#include <string>

namespace coconsul::dev {

struct http_error {
  unsigned status;
  std::string reason;
};

// Throws http_error{400, reason}.
[[noreturn]] inline void throw_bad_request(std::string reason) { throw http_error{400, std::move(reason)}; }

}  // namespace coconsul::dev
