// /v1/session operations (session_api): create, destroy, renew, info, node and list.
#include <coconsul/session.hpp>

#include "client/interpret.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"

namespace coconsul::detail {
namespace {

// A request to prefix + the encoded session ID, refused first of all when the ID is empty or bad.
protocol::request_builder by_id(http::verb method, std::string_view prefix, std::string_view id) {
  protocol::request_builder b(method, std::string(prefix) + protocol::percent_encode(id));
  b.require_name("session ID", id);
  return b;
}

protocol::request_builder put(const client_state& st, std::string_view prefix, std::string_view id,
                              const write_options& w) {
  auto b = by_id(http::verb::put, prefix, id);
  b.write(w, st.cfg);
  return b;
}

}  // namespace

void session_create(client_state& st, session_create_request req, write_options w, completion_handler<std::string> h) {
  run_request<std::string>(
      st, std::move(h),
      [&] {
        using namespace std::chrono_literals;
        protocol::request_builder b(http::verb::put, "/v1/session/create");
        if (req.ttl.count() != 0 && (req.ttl < 10s || req.ttl > 24h))
          b.refuse({"session TTL must be between 10s and 24h (Consul's limits)"});
        if (!req.behavior.empty() && req.behavior != "release" && req.behavior != "delete")
          b.refuse({"session behavior \"" + req.behavior + "\" is not release or delete"});
        b.require_printable("session name", req.name);
        b.write(w, st.cfg).body(encode_json(req)).idempotent(false);  // a retry would make a second session
        return b;
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
  run_request<void>(st, std::move(h), [&] { return put(st, "/v1/session/destroy/", id, w); }, status_only{});
}

void session_renew(client_state& st, std::string id, write_options w, completion_handler<session> h) {
  run_request<session>(
      st, std::move(h), [&] { return put(st, "/v1/session/renew/", id, w); },
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
        auto b = by_id(http::verb::get, "/v1/session/info/", id);
        b.read(o, st.cfg);
        return b;
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
        protocol::request_builder b(http::verb::get, "/v1/session/node/" + protocol::percent_encode(node));
        b.require_name("node name", node).read(o, st.cfg);
        return b;
      },
      json_read<std::vector<session>>{});
}

void session_list(client_state& st, query_options o, completion_handler<query_result<std::vector<session>>> h) {
  run_request<query_result<std::vector<session>>>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::get, "/v1/session/list");
        b.read(o, st.cfg);
        return b;
      },
      json_read<std::vector<session>>{});
}

}  // namespace coconsul::detail
