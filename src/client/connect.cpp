// Connect CA operations (connect_api): roots, the CA configuration and leaf certificates; and
// client::connect(), which reaches them.
#include <coconsul/client.hpp>
#include <coconsul/connect.hpp>

#include "client/interpret.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"

namespace coconsul {
namespace detail {

namespace {
protocol::request_builder read_request(const client_state& st, std::string path, const query_options& o) {
  protocol::request_builder b(http::verb::get, std::move(path));
  b.read(o, st.cfg);
  return b;
}

// The configuration endpoint knows only dc and the token.
query_options scoped(const query_options& o) {
  query_options s;
  s.datacenter = o.datacenter;
  s.token = o.token;
  return s;
}
}  // namespace

void connect_ca_roots(client_state& st, roots_source from, query_options o,
                      completion_handler<query_result<ca_roots>> h) {
  const char* path = from == roots_source::agent ? "/v1/agent/connect/ca/roots" : "/v1/connect/ca/roots";
  run_request<query_result<ca_roots>>(st, std::move(h), [&] { return read_request(st, path, o); },
                                      json_read<ca_roots>{});
}

void connect_ca_roots_pem(client_state& st, query_options o, completion_handler<query_result<std::string>> h) {
  run_request<query_result<std::string>>(
      st, std::move(h),
      [&] {
        auto b = read_request(st, "/v1/connect/ca/roots", o);
        b.param("pem", "true");
        return b;
      },
      [](const http::response& r, diagnostics& diag, query_result<std::string>& out) -> error_code {
        if (auto ec = protocol::check_status(r, diag)) return ec;
        if (auto ec = protocol::read_query_meta(r, out.meta, diag)) return ec;
        out.value = r.body;
        return {};
      });
}

void connect_ca_configuration(client_state& st, query_options o, completion_handler<ca_configuration> h) {
  run_request<ca_configuration>(
      st, std::move(h), [&] { return read_request(st, "/v1/connect/ca/configuration", scoped(o)); },
      json_value<ca_configuration>{});
}

void connect_set_ca_configuration(client_state& st, ca_configuration cfg, write_options w,
                                  completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::put, "/v1/connect/ca/configuration");
        b.write(w, st.cfg).body(encode_json(cfg));
        // Replaying the same configuration changes nothing more.
        b.idempotent(true);
        return b;
      },
      status_only{});
}

void connect_ca_configuration_json(client_state& st, query_options o, completion_handler<std::string> h) {
  run_request<std::string>(
      st, std::move(h), [&] { return read_request(st, "/v1/connect/ca/configuration", scoped(o)); },
      [](const http::response& r, diagnostics& diag, std::string& out) -> error_code {
        if (auto ec = protocol::check_status(r, diag)) return ec;
        out = r.body;
        return {};
      });
}

void connect_set_ca_configuration_json(client_state& st, std::string json, write_options w,
                                       completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::put, "/v1/connect/ca/configuration");
        b.write(w, st.cfg).body(std::move(json));
        b.idempotent(true);  // as set_ca_configuration
        return b;
      },
      status_only{});
}

void connect_leaf(client_state& st, std::string service, query_options o,
                  completion_handler<query_result<issued_cert>> h) {
  run_request<query_result<issued_cert>>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::get, "/v1/agent/connect/ca/leaf/" + protocol::percent_encode(service));
        b.require_name("service name", service);
        b.read(o, st.cfg);
        return b;
      },
      json_read<issued_cert>{});
}

}  // namespace detail

connect_api client::connect() const { return connect_api(state_); }

}  // namespace coconsul
