// /v1/health operations (health_api): a service's instances (all, or its Connect-capable ones)
// and the check lists.
#include <coconsul/health.hpp>

#include "client/interpret.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"

namespace coconsul::detail {

namespace {

// The instances of prefix + name with their health: /v1/health/service/ and /v1/health/connect/.
void read_instances(client_state& st, std::string_view prefix, const std::string& name, const query_options& o,
                    completion_handler<query_result<std::vector<service_entry>>> h) {
  run_request<query_result<std::vector<service_entry>>>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::get, std::string(prefix) + protocol::percent_encode(name));
        b.require_name("service name", name).read(o, st.cfg);
        return b;
      },
      json_read<std::vector<service_entry>>{});
}

}  // namespace

void health_service(client_state& st, std::string name, query_options o,
                    completion_handler<query_result<std::vector<service_entry>>> h) {
  read_instances(st, "/v1/health/service/", name, o, std::move(h));
}

void health_connect_service(client_state& st, std::string name, query_options o,
                            completion_handler<query_result<std::vector<service_entry>>> h) {
  read_instances(st, "/v1/health/connect/", name, o, std::move(h));
}

namespace {

std::string_view path_of(health_list which) {
  switch (which) {
    case health_list::service: return "/v1/health/checks/";
    case health_list::node: return "/v1/health/node/";
    case health_list::state: return "/v1/health/state/";
  }
  return {};
}

}  // namespace

void health_checks(client_state& st, health_list which, std::string name, query_options o,
                   completion_handler<query_result<std::vector<health_check>>> h) {
  run_request<query_result<std::vector<health_check>>>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::get, std::string(path_of(which)) + protocol::percent_encode(name));
        if (which == health_list::state) {
          if (name != "any" && name != "passing" && name != "warning" && name != "critical")
            b.refuse({"health state \"" + name + "\" is not any, passing, warning or critical"});
        } else {
          b.require_name(which == health_list::node ? "node name" : "service name", name);
        }
        b.read(o, st.cfg);
        return b;
      },
      json_read<std::vector<health_check>>{});
}

}  // namespace coconsul::detail
