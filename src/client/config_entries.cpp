// Config entry operations (config_api): set and cas, get, list, delete; the watch's lookup
// (a missing entry as an empty value); and client::config(), which reaches them.
#include <coconsul/client.hpp>
#include <coconsul/config_entries.hpp>

#include "client/interpret.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"

namespace coconsul {
namespace detail {

namespace {

// "/v1/config/<kind>/<name>", the parts checked (both required, no control characters) as
// Consul's Go client requires them.
protocol::request_builder entry_request(http::verb method, const std::string& kind, const std::string& name) {
  protocol::request_builder b(method, "/v1/config/" + protocol::percent_encode(kind) + "/" +
                                          protocol::percent_encode(name));
  b.require_name("config entry kind", kind);
  b.require_name("config entry name", name);
  return b;
}

// A read where 404 means "no such entry": the value stays empty, the index headers are still
// read so a watch can block on them.
struct entry_or_empty {
  error_code operator()(const http::response& r, diagnostics& diag,
                        query_result<std::optional<config_entry>>& out) const {
    if (r.status == 404) return protocol::read_query_meta(r, out.meta, diag);
    query_result<config_entry> found;
    if (auto ec = json_read<config_entry>{}(r, diag, found)) return ec;
    out.value = std::move(found.value);
    out.meta = std::move(found.meta);
    return {};
  }
};

}  // namespace

void config_set(client_state& st, config_entry entry, std::optional<std::uint64_t> cas, write_options w,
                completion_handler<bool> h) {
  run_request<bool>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::put, "/v1/config");
        if (cas) b.param("cas", std::to_string(*cas));
        b.write(w, st.cfg).body(encode_json(entry));
        // A retried cas could report false for its own earlier success.
        b.idempotent(!cas);
        return b;
      },
      json_value<bool>{});
}

void config_get(client_state& st, std::string kind, std::string name, query_options o,
                completion_handler<query_result<config_entry>> h) {
  run_request<query_result<config_entry>>(
      st, std::move(h),
      [&] {
        auto b = entry_request(http::verb::get, kind, name);
        b.read(o, st.cfg);
        return b;
      },
      json_read<config_entry>{});
}

void config_find(client_state& st, std::string kind, std::string name, query_options o,
                 completion_handler<query_result<std::optional<config_entry>>> h) {
  run_request<query_result<std::optional<config_entry>>>(
      st, std::move(h),
      [&] {
        auto b = entry_request(http::verb::get, kind, name);
        b.read(o, st.cfg);
        return b;
      },
      entry_or_empty{});
}

void config_list(client_state& st, std::string kind, query_options o,
                 completion_handler<query_result<std::vector<config_entry>>> h) {
  run_request<query_result<std::vector<config_entry>>>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::get, "/v1/config/" + protocol::percent_encode(kind));
        b.require_name("config entry kind", kind);
        b.read(o, st.cfg);
        return b;
      },
      json_read<std::vector<config_entry>>{});
}

void config_delete(client_state& st, std::string kind, std::string name, write_options w,
                   completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        auto b = entry_request(http::verb::delete_, kind, name);
        b.write(w, st.cfg).idempotent(true);
        return b;
      },
      status_only{});
}

void config_delete_cas(client_state& st, std::string kind, std::string name, std::uint64_t index, write_options w,
                       completion_handler<bool> h) {
  run_request<bool>(
      st, std::move(h),
      [&] {
        auto b = entry_request(http::verb::delete_, kind, name);
        b.param("cas", std::to_string(index));
        b.write(w, st.cfg);
        return b;
      },
      json_value<bool>{});
}

}  // namespace detail

config_api client::config() const { return config_api(state_); }

}  // namespace coconsul
