// /v1/catalog operations (catalog_api): nodes, services, register and deregister.
#include <coconsul/catalog.hpp>

#include "client/interpret.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"

namespace coconsul::detail {
namespace {

protocol::request_builder get(const client_state& st, std::string path, const query_options& o) {
  protocol::request_builder b(http::verb::get, std::move(path));
  b.read(o, st.cfg);
  return b;
}

// A read of prefix + the encoded name, refused first of all when the name is empty or bad.
protocol::request_builder get_named(const client_state& st, std::string_view prefix, std::string_view what,
                                    std::string_view name, const query_options& o) {
  protocol::request_builder b(http::verb::get, std::string(prefix) + protocol::percent_encode(name));
  b.require_name(what, name).read(o, st.cfg);
  return b;
}

}  // namespace

void catalog_datacenters(client_state& st, query_options o, completion_handler<query_result<std::vector<std::string>>> h) {
  run_request<query_result<std::vector<std::string>>>(
      st, std::move(h), [&] { return get(st, "/v1/catalog/datacenters", o); }, json_read<std::vector<std::string>>{});
}

void catalog_nodes(client_state& st, query_options o, completion_handler<query_result<std::vector<node>>> h) {
  run_request<query_result<std::vector<node>>>(st, std::move(h), [&] { return get(st, "/v1/catalog/nodes", o); },
                                               json_read<std::vector<node>>{});
}

void catalog_node(client_state& st, std::string name, query_options o,
                  completion_handler<query_result<std::optional<coconsul::catalog_node>>> h) {
  using result = query_result<std::optional<coconsul::catalog_node>>;
  run_request<result>(
      st, std::move(h), [&] { return get_named(st, "/v1/catalog/node/", "node name", name, o); },
      [](const http::response& r, diagnostics& diag, result& out) -> error_code {
        if (auto ec = protocol::check_status(r, diag)) return ec;
        if (auto ec = protocol::read_query_meta(r, out.meta, diag)) return ec;
        // Consul answers `null` for a node it does not know.
        std::string_view body = r.body;
        while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.remove_suffix(1);
        if (body == "null") return {};
        coconsul::catalog_node found;
        if (auto ec = decode_body(r, found, diag)) return ec;
        out.value = std::move(found);
        return {};
      });
}

void catalog_services(client_state& st, query_options o,
                      completion_handler<query_result<std::map<std::string, std::vector<std::string>>>> h) {
  run_request<query_result<std::map<std::string, std::vector<std::string>>>>(
      st, std::move(h), [&] { return get(st, "/v1/catalog/services", o); },
      json_read<std::map<std::string, std::vector<std::string>>>{});
}

void catalog_service(client_state& st, std::string name, query_options o,
                     completion_handler<query_result<std::vector<coconsul::catalog_service>>> h) {
  run_request<query_result<std::vector<coconsul::catalog_service>>>(
      st, std::move(h), [&] { return get_named(st, "/v1/catalog/service/", "service name", name, o); },
      json_read<std::vector<coconsul::catalog_service>>{});
}

void catalog_connect_service(client_state& st, std::string name, query_options o,
                             completion_handler<query_result<std::vector<coconsul::catalog_service>>> h) {
  run_request<query_result<std::vector<coconsul::catalog_service>>>(
      st, std::move(h), [&] { return get_named(st, "/v1/catalog/connect/", "service name", name, o); },
      json_read<std::vector<coconsul::catalog_service>>{});
}

void catalog_register(client_state& st, catalog_registration reg, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::put, "/v1/catalog/register");
        b.require_name("node name", reg.node).require_name("node address", reg.address);
        b.write(w, st.cfg).body(encode_json(reg));
        return b;
      },
      status_only{});
}

void catalog_deregister(client_state& st, catalog_deregistration dereg, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::put, "/v1/catalog/deregister");
        b.require_name("node name", dereg.node).write(w, st.cfg).body(encode_json(dereg));
        return b;
      },
      status_only{});
}

}  // namespace coconsul::detail
