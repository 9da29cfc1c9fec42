#pragma once
// A DNS message as plain values: header bits, the question, the three record sections and EDNS0.
// What the answer builder and the trimming work on; the wire format (wire.hpp) converts it with
// ldns. Names are in presentation form ("web.service.consul.", escapes as ldns writes them).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace coconsul::dev::dns {

// The record types and codes the agent reads or writes (RFC 1035, 2782, 3596, 6891).
namespace rr_type {
inline constexpr std::uint16_t a = 1, ns = 2, cname = 5, soa = 6, ptr = 12, txt = 16, aaaa = 28, srv = 33, opt = 41,
                               ds = 43, axfr = 252, any = 255;
}
namespace rcode {
inline constexpr std::uint8_t noerror = 0, formerr = 1, servfail = 2, nxdomain = 3, notimp = 4;
}
namespace opcode {
inline constexpr std::uint8_t query = 0, notify = 4;
}
inline constexpr std::uint16_t class_in = 1;

struct a_data {
  std::array<std::uint8_t, 4> ip{};
};
struct aaaa_data {
  std::array<std::uint8_t, 16> ip{};
};
struct srv_data {
  std::uint16_t priority = 0;
  std::uint16_t weight = 0;
  std::uint16_t port = 0;
  std::string target;
};
struct txt_data {
  std::vector<std::string> strings;  // each at most 255 bytes on the wire
};
// CNAME, NS and PTR: one domain name.
struct name_data {
  std::string target;
};
struct soa_data {
  std::string mname;
  std::string rname;
  std::uint32_t serial = 0;
  std::uint32_t refresh = 0;
  std::uint32_t retry = 0;
  std::uint32_t expire = 0;
  std::uint32_t minimum = 0;
};
using rdata = std::variant<a_data, aaaa_data, srv_data, txt_data, name_data, soa_data>;

struct record {
  std::string name;
  std::uint16_t type = 0;
  std::uint32_t ttl = 0;
  rdata data;
};

struct question {
  std::string name;  // as the client sent it (case kept)
  std::uint16_t type = 0;
  std::uint16_t klass = class_in;
};

struct header {
  std::uint16_t id = 0;
  bool qr = false;
  std::uint8_t opcode = opcode::query;
  bool aa = false;
  bool tc = false;
  bool rd = false;
  bool ra = false;
  bool cd = false;
  std::uint8_t rcode = rcode::noerror;
};

struct edns {
  std::uint16_t udp_size = 0;
  // The EDNS Client Subnet option's data (RFC 7871: family, source and scope prefix lengths,
  // address), when present.
  std::optional<std::vector<std::uint8_t>> client_subnet;
};

struct message {
  header head;
  std::vector<question> questions;
  std::vector<record> answer;
  std::vector<record> authority;
  std::vector<record> additional;
  std::optional<edns> opt;  // EDNS0: an OPT record in the additional section on the wire
};

}  // namespace coconsul::dev::dns
