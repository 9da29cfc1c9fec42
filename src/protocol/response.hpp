#pragma once
// Layer 2, response side: status to error, X-Consul-* headers to query_meta. Pure functions.

#include <coconsul/error.hpp>
#include <coconsul/query.hpp>

#include "protocol/message.hpp"

namespace coconsul::protocol {

// For a non-2xx status: the matching errc, with Consul's plain-text body (trailing newline
// removed) as diag.message. For 2xx: no error.
error_code check_status(const response& r, diagnostics& diag);

// Reads X-Consul-Index, KnownLeader, LastContact, Effective-Consistency, ContentHash,
// Query-Backend, Default-ACL-Policy, Results-Filtered-By-ACLs, X-Cache and Age,
// case-insensitively. A header that is present but malformed (an index that is not a
// uint64, a leader flag that is not true/false) is errc::malformed_response naming the header.
error_code read_query_meta(const response& r, query_meta& meta, diagnostics& diag);

}  // namespace coconsul::protocol
