// Connect's names (see spiffe.hpp).

#include "dev_agent/connect/spiffe.hpp"

#include <cctype>
#include <cstdint>
#include <random>

namespace coconsul::dev::connect {

namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// What Go's url.URL.EscapedPath leaves as it is: unreserved characters, sub-delimiters, ':',
// '@' and '/'.
bool path_safe(unsigned char c) {
  if (std::isalnum(c)) return true;
  switch (c) {
    case '-': case '.': case '_': case '~': case '!': case '$': case '&': case '\'': case '(': case ')':
    case '*': case '+': case ',': case ';': case '=': case ':': case '@': case '/':
      return true;
    default:
      return false;
  }
}

std::string escape_path(std::string_view p) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : p) {
    if (path_safe(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xf];
    }
  }
  return out;
}

// CompactUID: 64 random bits in base 36, cut to 8 characters.
std::string compact_uid() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uint64_t v = rng() >> 1;  // non-negative, as the int64 Consul formats usually is
  static constexpr char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string s;
  do {
    s.insert(s.begin(), digits[v % 36]);
    v /= 36;
  } while (v > 0);
  return s.substr(0, 8);
}
}  // namespace

std::string trust_domain(std::string_view cluster_id) { return lower(cluster_id) + ".consul"; }

std::string signing_uri(std::string_view cluster_id) { return "spiffe://" + trust_domain(cluster_id); }

std::string service_uri(std::string_view trust_domain, std::string_view datacenter, std::string_view service) {
  std::string path = "/ns/default/dc/";
  path += datacenter;
  path += "/svc/";
  path += service;
  std::string uri = "spiffe://";
  uri += trust_domain;
  uri += escape_path(path);
  return uri;
}

std::string root_common_name(std::string_view cluster_id) {
  std::string cn = "pri-" + compact_uid() + ".consul.ca." + std::string(cluster_id.substr(0, 8)) + ".consul";
  return cn.substr(0, 64);  // a CN is at most 64 characters
}

}  // namespace coconsul::dev::connect
