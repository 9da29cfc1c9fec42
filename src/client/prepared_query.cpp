// /v1/query operations (prepared_query_api): create, update, erase, get, list, execute and
// explain.
#include <coconsul/prepared_query.hpp>

#include "client/interpret.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"

namespace coconsul::detail {
namespace {

protocol::request_builder by_id(http::verb method, std::string_view id, std::string_view suffix = {}) {
  protocol::request_builder b(method, "/v1/query/" + protocol::percent_encode(id) + std::string(suffix));
  b.require_name("prepared query ID or name", id);
  return b;
}

}  // namespace

void prepared_query_create(client_state& st, prepared_query q, write_options w, completion_handler<std::string> h) {
  run_request<std::string>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::post, "/v1/query");
        if (!q.id.empty()) b.refuse({"a new prepared query has no ID yet (Consul assigns it)"});
        b.require_printable("prepared query name", q.name);
        b.write(w, st.cfg).body(encode_json(q)).idempotent(false);  // a retry would store a second query
        return b;
      },
      [](const http::response& r, diagnostics& diag, std::string& id) -> error_code {
        if (auto ec = protocol::check_status(r, diag)) return ec;
        prepared_query_created created;
        if (auto ec = decode_body(r, created, diag)) return ec;
        id = std::move(created.id);
        return {};
      });
}

void prepared_query_update(client_state& st, prepared_query q, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        auto b = by_id(http::verb::put, q.id);
        b.require_printable("prepared query name", q.name);
        b.write(w, st.cfg).body(encode_json(q));
        return b;
      },
      status_only{});
}

void prepared_query_erase(client_state& st, std::string id, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        auto b = by_id(http::verb::delete_, id);
        b.write(w, st.cfg);
        return b;
      },
      status_only{});
}

void prepared_query_get(client_state& st, std::string id, query_options o,
                        completion_handler<query_result<std::optional<prepared_query>>> h) {
  using result = query_result<std::optional<prepared_query>>;
  run_request<result>(
      st, std::move(h),
      [&] {
        auto b = by_id(http::verb::get, id);
        b.read(o, st.cfg);
        return b;
      },
      // Consul answers an array of one, and 404 for an unknown ID.
      [](const http::response& r, diagnostics& diag, result& out) -> error_code {
        query_result<std::vector<prepared_query>> list;
        if (auto ec = json_read_or_empty<std::vector<prepared_query>>{}(r, diag, list)) return ec;
        out.meta = std::move(list.meta);
        if (!list.value.empty()) out.value = std::move(list.value.front());
        return {};
      });
}

void prepared_query_list(client_state& st, query_options o,
                         completion_handler<query_result<std::vector<prepared_query>>> h) {
  run_request<query_result<std::vector<prepared_query>>>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::get, "/v1/query");
        b.read(o, st.cfg);
        return b;
      },
      json_read<std::vector<prepared_query>>{});
}

void prepared_query_execute(client_state& st, std::string id, query_execute_options how, query_options o,
                            completion_handler<query_result<prepared_query_result>> h) {
  run_request<query_result<prepared_query_result>>(
      st, std::move(h),
      [&] {
        auto b = by_id(http::verb::get, id, "/execute");
        if (how.limit < 0) b.refuse({"a prepared query's limit cannot be negative"});
        if (how.limit > 0) b.param("limit", std::to_string(how.limit));
        if (how.connect) b.param("connect", "true");
        b.read(o, st.cfg);
        return b;
      },
      json_read<prepared_query_result>{});
}

void prepared_query_explain(client_state& st, std::string id, query_options o,
                            completion_handler<query_result<prepared_query>> h) {
  using result = query_result<prepared_query>;
  run_request<result>(
      st, std::move(h),
      [&] {
        auto b = by_id(http::verb::get, id, "/explain");
        b.read(o, st.cfg);
        return b;
      },
      [](const http::response& r, diagnostics& diag, result& out) -> error_code {
        query_result<prepared_query_explanation> e;
        if (auto ec = json_read<prepared_query_explanation>{}(r, diag, e)) return ec;
        out.meta = std::move(e.meta);
        out.value = std::move(e.value.query);
        return {};
      });
}

}  // namespace coconsul::detail
