// /v1/kv operations (kv_api): get, list, keys, put (set, cas, acquire, release) and delete.
#include <coconsul/kv.hpp>

#include "client/interpret.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"

namespace coconsul {
namespace detail {
namespace {

// "/v1/kv/<key>", one leading '/' dropped as Consul's Go client does, slashes kept.
std::string kv_path(std::string_view key) {
  if (key.starts_with('/')) key.remove_prefix(1);
  return "/v1/kv/" + protocol::percent_encode(key, true);
}

// A request to the key's path, refused first of all when the key (or prefix) is bad.
protocol::request_builder for_key(http::verb method, std::string_view key, bool may_be_empty) {
  protocol::request_builder b(method, kv_path(key));
  if (may_be_empty) b.require_printable("key prefix", key);
  else b.require_name("key", key);
  return b;
}

protocol::request_builder write_request(const client_state& st, const kv_write& w) {
  auto b = for_key(http::verb::put, w.key, false);
  if (w.flags != 0) b.param("flags", std::to_string(w.flags));
  switch (w.mode) {
    case kv_mode::set: break;
    case kv_mode::cas: b.param("cas", std::to_string(w.cas_index)); break;
    case kv_mode::acquire:
      b.require_name("session", w.session).param("acquire", w.session);
      break;
    case kv_mode::release:
      b.require_name("session", w.session).param("release", w.session);
      break;
  }
  b.write(w.scope, st.cfg).body(w.value, "application/octet-stream");
  // A retried cas, acquire or release could report false for its own earlier success.
  b.idempotent(w.mode == kv_mode::set);
  return b;
}

protocol::request_builder delete_request(const client_state& st, const kv_delete& d) {
  auto b = for_key(http::verb::delete_, d.key, d.recurse);
  if (d.recurse) b.flag("recurse");
  if (d.cas) b.param("cas", std::to_string(*d.cas));
  b.write(d.scope, st.cfg).idempotent(!d.cas);
  return b;
}

}  // namespace

void kv_get(client_state& st, std::string key, query_options o,
            completion_handler<query_result<std::optional<kv_pair>>> h) {
  using result = query_result<std::optional<kv_pair>>;
  run_request<result>(
      st, std::move(h),
      [&] {
        auto b = for_key(http::verb::get, key, false);
        b.read(o, st.cfg);
        return b;
      },
      [](const http::response& r, diagnostics& diag, result& out) -> error_code {
        query_result<std::vector<kv_pair>> list;
        if (auto ec = json_read_or_empty<std::vector<kv_pair>>{}(r, diag, list)) return ec;
        out.meta = std::move(list.meta);
        if (!list.value.empty()) out.value = std::move(list.value.front());
        return {};
      });
}

void kv_list(client_state& st, std::string prefix, query_options o,
             completion_handler<query_result<std::vector<kv_pair>>> h) {
  run_request<query_result<std::vector<kv_pair>>>(
      st, std::move(h),
      [&] {
        auto b = for_key(http::verb::get, prefix, true);
        b.flag("recurse").read(o, st.cfg);
        return b;
      },
      json_read_or_empty<std::vector<kv_pair>>{});
}

void kv_keys(client_state& st, std::string prefix, std::string separator, query_options o,
             completion_handler<query_result<std::vector<std::string>>> h) {
  run_request<query_result<std::vector<std::string>>>(
      st, std::move(h),
      [&] {
        auto b = for_key(http::verb::get, prefix, true);
        b.require_printable("separator", separator).flag("keys").param_if("separator", separator).read(o, st.cfg);
        return b;
      },
      json_read_or_empty<std::vector<std::string>>{});
}

void kv_put(client_state& st, kv_write w, completion_handler<bool> h) {
  run_request<bool>(st, std::move(h), [&] { return write_request(st, w); }, json_value<bool>{});
}

void kv_remove(client_state& st, kv_delete d, completion_handler<bool> h) {
  run_request<bool>(st, std::move(h), [&] { return delete_request(st, d); }, json_value<bool>{});
}

void kv_put_checked(client_state& st, kv_write w, completion_handler<void> h) {
  run_request<void>(st, std::move(h), [&] { return write_request(st, w); }, status_only{});
}

void kv_remove_checked(client_state& st, kv_delete d, completion_handler<void> h) {
  run_request<void>(st, std::move(h), [&] { return delete_request(st, d); }, status_only{});
}

}  // namespace detail

}  // namespace coconsul
