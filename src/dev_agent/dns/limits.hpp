#pragma once
// The numbers that bound a DNS answer and a DNS client, with where they come from: Consul's
// agent/dns.go for the answers, miekg/dns's server (which Consul runs) for the connections.

#include <chrono>
#include <cstddef>

namespace coconsul::dev::dns {

// A UDP answer without EDNS0 (RFC 1035).
inline constexpr std::size_t default_udp_size = 512;
// The most a client's EDNS0 size is believed: 65535 less 68 bytes of IP and UDP headers.
inline constexpr std::size_t max_udp_datagram = 65535 - 68;
// Consul's maxUDPAnswerLimit: udp_answer_limit is capped at it.
inline constexpr std::size_t max_udp_answer_limit = 8;
// A TCP answer: 64 KiB less 12 bytes of overhead, and at most this many records (1024 for SRV).
inline constexpr std::size_t max_tcp_size = 65523;
inline constexpr std::size_t max_tcp_answers = 4096;
inline constexpr std::size_t max_tcp_srv_answers = 1024;
// How deep a CNAME target under the domain is resolved (Consul's maxRecursionLevelDefault).
inline constexpr int max_recursion = 3;

// TCP clients (miekg/dns's defaults): the first query must arrive within read_timeout of the
// accept, each later one within idle_timeout of the previous answer; an answer must be written
// within write_timeout; a connection serves at most max_tcp_queries, then is closed.
inline constexpr std::chrono::milliseconds read_timeout{2000};
inline constexpr std::chrono::milliseconds idle_timeout{8000};
inline constexpr std::chrono::milliseconds write_timeout{2000};
inline constexpr std::size_t max_tcp_queries = 128;
// Not in miekg/dns (it has no cap): open TCP connections per client address, so one client
// cannot take every descriptor. Over it a connection is closed at once.
inline constexpr std::size_t max_tcp_conns_per_client = 100;

}  // namespace coconsul::dev::dns
