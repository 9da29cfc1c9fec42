#include <coconsul/session.hpp>

#include "client/interpret.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"

namespace coconsul::detail {
namespace {

http::request put(const client_state& st, std::string path, const write_options& w) {
  protocol::request_builder b(http::verb::put, std::move(path));
  b.write(w, st.cfg);
  return std::move(b).finish();
}

std::string id_path(std::string_view prefix, std::string_view id) {
  protocol::require_name("session ID", id);
  return std::string(prefix) + protocol::percent_encode(id);
}

}  // namespace

void session_create(client_state& st, session_create_request req, write_options w, completion_handler<std::string> h) {
  run_request<std::string>(
      st, std::move(h),
      [&] {
        using namespace std::chrono_literals;
        if (req.ttl.count() != 0 && (req.ttl < 10s || req.ttl > 24h))
          throw error(make_error_code(errc::invalid_argument),
                      {0, "session TTL must be between 10s and 24h (Consul's limits)"});
        if (!req.behavior.empty() && req.behavior != "release" && req.behavior != "delete")
          throw error(make_error_code(errc::invalid_argument),
                      {0, "session behavior \"" + req.behavior + "\" is not release or delete"});
        protocol::require_printable("session name", req.name);
        protocol::request_builder b(http::verb::put, "/v1/session/create");
        b.write(w, st.cfg).body(encode_json(req)).idempotent(false);  // a retry would make a second session
        return std::move(b).finish();
      },
      [](const http::response& r, diagnostics& diag, std::string& id) -> error_code {
        if (auto ec = protocol::check_status(r, diag)) return ec;
        session_create_response created;
        if (auto ec = decode_body(r, created, diag)) return ec;
        id = std::move(created.id);
        return {};
      });
}

void session_destroy(client_state& st, std::string id, write_options w, completion_handler<void> h) {
  run_request<void>(st, std::move(h), [&] { return put(st, id_path("/v1/session/destroy/", id), w); }, status_only{});
}

void session_renew(client_state& st, std::string id, write_options w, completion_handler<session> h) {
  run_request<session>(
      st, std::move(h), [&] { return put(st, id_path("/v1/session/renew/", id), w); },
      [](const http::response& r, diagnostics& diag, session& out) -> error_code {
        if (auto ec = protocol::check_status(r, diag)) return ec;
        std::vector<session> list;
        if (auto ec = decode_body(r, list, diag)) return ec;
        if (list.empty()) {
          diag.message = "renew answered with no session";
          return make_error_code(errc::decode_error);
        }
        out = std::move(list.front());
        return {};
      });
}

void session_info(client_state& st, std::string id, query_options o,
                  completion_handler<query_result<std::optional<session>>> h) {
  using result = query_result<std::optional<session>>;
  run_request<result>(
      st, std::move(h),
      [&] {
        return std::move(protocol::request_builder(http::verb::get, id_path("/v1/session/info/", id)).read(o, st.cfg))
            .finish();
      },
      [](const http::response& r, diagnostics& diag, result& out) -> error_code {
        query_result<std::vector<session>> list;
        if (auto ec = json_read<std::vector<session>>{}(r, diag, list)) return ec;
        out.meta = std::move(list.meta);
        if (!list.value.empty()) out.value = std::move(list.value.front());
        return {};
      });
}

void session_node(client_state& st, std::string node, query_options o,
                  completion_handler<query_result<std::vector<session>>> h) {
  run_request<query_result<std::vector<session>>>(
      st, std::move(h),
      [&] {
        protocol::require_name("node name", node);
        return std::move(protocol::request_builder(http::verb::get, "/v1/session/node/" + protocol::percent_encode(node))
                             .read(o, st.cfg))
            .finish();
      },
      json_read<std::vector<session>>{});
}

void session_list(client_state& st, query_options o, completion_handler<query_result<std::vector<session>>> h) {
  run_request<query_result<std::vector<session>>>(
      st, std::move(h),
      [&] { return std::move(protocol::request_builder(http::verb::get, "/v1/session/list").read(o, st.cfg)).finish(); },
      json_read<std::vector<session>>{});
}

}  // namespace coconsul::detail
