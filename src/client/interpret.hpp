#pragma once
// The ways a response is read, shared by every endpoint group.

#include <coconsul/json.hpp>
#include <coconsul/query.hpp>

#include "http/transport.hpp"  // http::response
#include "protocol/response.hpp"

namespace coconsul::detail {

// Decodes the body into `out` without throwing. A failure is errc::decode_error with the
// decoder's message and the response's status; `out` is then unchanged.
template <class T>
error_code decode_body(const http::response& r, T& out, diagnostics& diag) {
  auto ec = decode_json(r.body, out, diag);
  if (ec) diag.http_status = r.status;
  return ec;
}

// A read: 2xx, query_meta from the headers, the body as JSON of type T.
template <class T>
struct json_read {
  error_code operator()(const http::response& r, diagnostics& diag, query_result<T>& out) const {
    if (auto ec = protocol::check_status(r, diag)) return ec;
    if (auto ec = protocol::read_query_meta(r, out.meta, diag)) return ec;
    return decode_body(r, out.value, diag);
  }
};

// A read where 404 means "nothing there" (a missing KV key, a KV prefix without keys): the
// value stays empty, the index headers are still read so a watch can block on them.
template <class T>
struct json_read_or_empty {
  error_code operator()(const http::response& r, diagnostics& diag, query_result<T>& out) const {
    if (r.status == 404) return protocol::read_query_meta(r, out.meta, diag);
    return json_read<T>{}(r, diag, out);
  }
};

// A response whose JSON body is the whole value, without query metadata.
template <class T>
struct json_value {
  error_code operator()(const http::response& r, diagnostics& diag, T& out) const {
    if (auto ec = protocol::check_status(r, diag)) return ec;
    return decode_body(r, out, diag);
  }
};

// A write answered with an empty body or with `true`: only the status matters.
struct status_only {
  error_code operator()(const http::response& r, diagnostics& diag) const { return protocol::check_status(r, diag); }
};

}  // namespace coconsul::detail
