// Intention operations of connect_api (include/coconsul/connect.hpp): the legacy API by ID, the
// exact API by name, match and check, and the agent's authorize.
#include <coconsul/connect.hpp>

#include "client/interpret.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"

namespace coconsul::detail {

namespace {

constexpr const char* base = "/v1/connect/intentions";

protocol::request_builder read(const client_state& st, std::string path, const query_options& o) {
  protocol::request_builder b(http::verb::get, std::move(path));
  b.read(o, st.cfg);
  return b;
}

// ?source=&destination=, both required (names may be "*").
protocol::request_builder& source_destination(protocol::request_builder& b, const std::string& source,
                                const std::string& destination) {
  b.require_printable("source", source).require_printable("destination", destination);
  if (source.empty()) b.require_name("source", source);
  if (destination.empty()) b.require_name("destination", destination);
  b.param("source", source).param("destination", destination);
  return b;
}

error_code read_id(const http::response& r, diagnostics& diag, std::string& out) {
  if (auto ec = protocol::check_status(r, diag)) return ec;
  intention_created body;
  if (auto ec = decode_body(r, body, diag)) return ec;
  out = std::move(body.id);
  return {};
}

}  // namespace

void intention_list(client_state& st, query_options o, completion_handler<query_result<std::vector<intention>>> h) {
  run_request<query_result<std::vector<intention>>>(st, std::move(h), [&] { return read(st, base, o); },
                                                    json_read<std::vector<intention>>{});
}

void intention_get(client_state& st, std::string id, query_options o, completion_handler<query_result<intention>> h) {
  run_request<query_result<intention>>(
      st, std::move(h),
      [&] {
        auto b = read(st, std::string(base) + "/" + protocol::percent_encode(id), o);
        b.require_name("intention ID", id);
        return b;
      },
      json_read<intention>{});
}

void intention_get_exact(client_state& st, std::string source, std::string destination, query_options o,
                         completion_handler<query_result<intention>> h) {
  run_request<query_result<intention>>(
      st, std::move(h),
      [&] {
        auto b = read(st, std::string(base) + "/exact", o);
        source_destination(b, source, destination);
        return b;
      },
      json_read<intention>{});
}

void intention_create(client_state& st, intention ixn, write_options w, completion_handler<std::string> h) {
  run_request<std::string>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::post, base);
        b.write(w, st.cfg).body(encode_json(ixn));
        return b;
      },
      &read_id);
}

void intention_update(client_state& st, std::string id, intention ixn, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::put, std::string(base) + "/" + protocol::percent_encode(id));
        b.require_name("intention ID", id);
        b.write(w, st.cfg).body(encode_json(ixn));
        b.idempotent(true);
        return b;
      },
      status_only{});
}

void intention_delete(client_state& st, std::string id, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::delete_, std::string(base) + "/" + protocol::percent_encode(id));
        b.require_name("intention ID", id);
        b.write(w, st.cfg);
        return b;
      },
      status_only{});
}

void intention_upsert(client_state& st, intention ixn, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::put, std::string(base) + "/exact");
        source_destination(b, ixn.source_name, ixn.destination_name);
        b.write(w, st.cfg).body(encode_json(ixn));
        b.idempotent(true);
        return b;
      },
      status_only{});
}

void intention_delete_exact(client_state& st, std::string source, std::string destination, write_options w,
                            completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::delete_, std::string(base) + "/exact");
        source_destination(b, source, destination);
        b.write(w, st.cfg);
        b.idempotent(true);
        return b;
      },
      status_only{});
}

void intention_match(client_state& st, intention_match_by by, std::vector<std::string> names, query_options o,
                     completion_handler<query_result<intention_matches>> h) {
  run_request<query_result<intention_matches>>(
      st, std::move(h),
      [&] {
        auto b = read(st, std::string(base) + "/match", o);
        b.param("by", by == intention_match_by::source ? "source" : "destination");
        if (names.empty()) b.require_name("name", "");
        for (const auto& n : names) {
          b.require_name("name", n);
          b.param("name", n);
        }
        return b;
      },
      json_read<intention_matches>{});
}

void intention_check(client_state& st, std::string source, std::string destination, query_options o,
                     completion_handler<bool> h) {
  run_request<bool>(
      st, std::move(h),
      [&] {
        auto b = read(st, std::string(base) + "/check", o);
        source_destination(b, source, destination);
        return b;
      },
      [](const http::response& r, diagnostics& diag, bool& out) -> error_code {
        if (auto ec = protocol::check_status(r, diag)) return ec;
        intention_checked answer;
        if (auto ec = decode_body(r, answer, diag)) return ec;
        out = answer.allowed;
        return {};
      });
}

void connect_authorize(client_state& st, connect_authorize_request req, write_options w,
                       completion_handler<connect_authorization> h) {
  run_request<connect_authorization>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::post, "/v1/agent/connect/authorize");
        b.require_name("target", req.target);
        b.write(w, st.cfg).body(encode_json(req));
        // A decision, not a change: asking again is harmless.
        b.idempotent(true);
        return b;
      },
      json_value<connect_authorization>{});
}

}  // namespace coconsul::detail
