#pragma once
// The DNS wire format, through NLnet Labs' ldns (Debian's libldns-dev): a message (message.hpp)
// from and to bytes, and what its encoding measures. The only file of the agent that includes
// ldns; no sockets here.

#include "dev_agent/dns/message.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace coconsul::dev::dns {

// The fixed 12-byte header as it arrived, read before anything else is parsed: it decides whether
// a message is answered at all (accept.hpp).
struct raw_header {
  std::uint16_t id = 0;
  std::uint16_t flags = 0;  // QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode as on the wire
  std::uint16_t qdcount = 0, ancount = 0, nscount = 0, arcount = 0;
};
// nullopt for fewer than 12 bytes.
std::optional<raw_header> read_header(std::span<const std::uint8_t> bytes);

// The whole message; nullopt when ldns refuses it (truncated, a bad name, a bad record). Records
// of types message.hpp has no shape for are left out (only a client reads them).
std::optional<message> decode(std::span<const std::uint8_t> bytes);

// The message with name compression, as Consul sends it. nullopt when a name cannot be written
// (a label over 63 bytes, a name over 255).
std::optional<std::vector<std::uint8_t>> encode(const message& m);

// How many bytes `encode` writes, or would write without name compression (Consul measures a
// non-EDNS UDP answer uncompressed while it cuts it to the answer limit). 0 when it cannot be
// written.
std::size_t encoded_size(const message& m, bool compressed);

}  // namespace coconsul::dev::dns
