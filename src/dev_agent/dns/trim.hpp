#pragma once
// Consul's trimming of an answer to what its transport carries (agent/dns.go's trimUDPResponse,
// trimTCPResponse, dnsBinaryTruncate and syncExtra), on plain messages. The caller sets TC (only
// with enable_truncate, as Consul).

#include "dev_agent/dns/message.hpp"

namespace coconsul::dev::dns {

// UDP: 512 bytes, or the client's EDNS0 size (at most max_udp_datagram). Without EDNS0 (a size
// of 512) the answers are first cut to min(udp_answer_limit, 8), measured uncompressed; then
// records are dropped until the message fits, the authority section first. True when answers
// were dropped.
bool trim_udp(message& response, const message& request, unsigned udp_answer_limit);

// TCP: at most 4096 answers (1024 for SRV), then records dropped until 65523 bytes fit.
bool trim_tcp(message& response, const message& request);

}  // namespace coconsul::dev::dns
