#pragma once
// What the /v1/acl/* operations share: requests to a path plus an ID or name (refused when
// empty or bad), reads and writes with the caller's options, and reads where 404 means "none".

#include "client/client_state.hpp"
#include "client/interpret.hpp"
#include "protocol/request.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace coconsul::detail::acl {

// prefix + the encoded id, refused first of all when the id is empty or holds control characters.
inline protocol::request_builder at(http::verb method, std::string_view prefix, std::string_view what,
                                    std::string_view id) {
  protocol::request_builder b(method, std::string(prefix) + protocol::percent_encode(id));
  b.require_name(what, id);
  return b;
}

inline protocol::request_builder read_at(const client_state& st, std::string_view prefix, std::string_view what,
                                         std::string_view id, const query_options& o) {
  auto b = at(http::verb::get, prefix, what, id);
  b.read(o, st.cfg);
  return b;
}

inline protocol::request_builder read(const client_state& st, std::string path, const query_options& o) {
  protocol::request_builder b(http::verb::get, std::move(path));
  b.read(o, st.cfg);
  return b;
}

inline protocol::request_builder delete_at(const client_state& st, std::string_view prefix, std::string_view what,
                                           std::string_view id, const write_options& w) {
  auto b = at(http::verb::delete_, prefix, what, id);
  b.write(w, st.cfg);
  return b;
}

// A write of `body` (a model value, sent as Consul's Go client sends it: unset fields left out).
template <class T>
void send(protocol::request_builder& b, const client_state& st, const write_options& w, const T& body) {
  b.write(w, st.cfg).body(encode_json(body));
}

// A read where 404 means "there is none" (roles, auth methods, binding rules): the value stays
// empty and the index headers are still read, so a caller can block on them.
template <class T>
struct json_read_optional {
  error_code operator()(const http::response& r, diagnostics& diag, query_result<std::optional<T>>& out) const {
    if (r.status == 404) return protocol::read_query_meta(r, out.meta, diag);
    query_result<T> found;
    if (auto ec = json_read<T>{}(r, diag, found)) return ec;
    out.meta = std::move(found.meta);
    out.value = std::move(found.value);
    return {};
  }
};

}  // namespace coconsul::detail::acl
