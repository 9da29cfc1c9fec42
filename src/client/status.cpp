// /v1/status operations (status_api): the leader and the peers.
#include <coconsul/status.hpp>

#include "client/interpret.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"

namespace coconsul::detail {

namespace {
protocol::request_builder status_request(const client_state& st, const char* path, const query_options& o) {
  protocol::request_builder b(http::verb::get, path);
  // Status endpoints know only dc (and the token); other read options would be ignored.
  query_options scoped;
  scoped.datacenter = o.datacenter;
  scoped.token = o.token;
  b.read(scoped, st.cfg);
  return b;
}
}  // namespace

void status_leader(client_state& st, query_options o, completion_handler<std::string> h) {
  run_request<std::string>(
      st, std::move(h), [&] { return status_request(st, "/v1/status/leader", o); },
      [](const http::response& r, diagnostics& diag, std::string& out) -> error_code {
        if (auto ec = protocol::check_status(r, diag)) return ec;
        return decode_body(r, out, diag);
      });
}

void status_peers(client_state& st, query_options o, completion_handler<std::vector<std::string>> h) {
  run_request<std::vector<std::string>>(
      st, std::move(h), [&] { return status_request(st, "/v1/status/peers", o); },
      [](const http::response& r, diagnostics& diag, std::vector<std::string>& out) -> error_code {
        if (auto ec = protocol::check_status(r, diag)) return ec;
        return decode_body(r, out, diag);
      });
}

}  // namespace coconsul::detail
