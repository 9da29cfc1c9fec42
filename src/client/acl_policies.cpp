// /v1/acl/polic* and /v1/acl/role* operations (acl_api): create, read by ID and by name,
// update, delete and list.
#include <coconsul/acl.hpp>

#include "client/acl_request.hpp"
#include "client/operation.hpp"

namespace coconsul::detail {
namespace {

constexpr std::string_view policy_path = "/v1/acl/policy/";
constexpr std::string_view role_path = "/v1/acl/role/";

// A create names the object and leaves its ID to Consul (Consul refuses one).
template <class T>
protocol::request_builder create(const client_state& st, std::string path, std::string_view kind, const T& value,
                                 const write_options& w) {
  protocol::request_builder b(http::verb::put, std::move(path));
  if (!value.id.empty()) b.refuse({std::string(kind) + " ID must be empty when creating: Consul assigns it"});
  b.require_name(std::string(kind) + " name", value.name);
  acl::send(b, st, w, value);
  b.idempotent(false);  // a retry would meet its own first attempt ("already exists")
  return b;
}

template <class T>
protocol::request_builder update(const client_state& st, std::string_view prefix, std::string_view kind,
                                 const T& value, const write_options& w) {
  auto b = acl::at(http::verb::put, prefix, std::string(kind) + " ID", value.id);
  b.require_name(std::string(kind) + " name", value.name);
  acl::send(b, st, w, value);
  return b;
}

}  // namespace

void acl_policy_create(client_state& st, acl_policy p, write_options w, completion_handler<acl_policy> h) {
  run_request<acl_policy>(
      st, std::move(h), [&] { return create(st, "/v1/acl/policy", "policy", p, w); }, json_value<acl_policy>{});
}

void acl_policy_read(client_state& st, std::string id, query_options o, acl_read<acl_policy> h) {
  run_request<query_result<acl_policy>>(
      st, std::move(h), [&] { return acl::read_at(st, policy_path, "policy ID", id, o); }, json_read<acl_policy>{});
}

void acl_policy_read_by_name(client_state& st, std::string name, query_options o, acl_read<acl_policy> h) {
  run_request<query_result<acl_policy>>(
      st, std::move(h), [&] { return acl::read_at(st, "/v1/acl/policy/name/", "policy name", name, o); },
      json_read<acl_policy>{});
}

void acl_policy_update(client_state& st, acl_policy p, write_options w, completion_handler<acl_policy> h) {
  run_request<acl_policy>(
      st, std::move(h), [&] { return update(st, policy_path, "policy", p, w); }, json_value<acl_policy>{});
}

void acl_policy_delete(client_state& st, std::string id, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h), [&] { return acl::delete_at(st, policy_path, "policy ID", id, w); }, status_only{});
}

void acl_policy_list(client_state& st, query_options o, acl_read<std::vector<acl_policy_list_entry>> h) {
  run_request<query_result<std::vector<acl_policy_list_entry>>>(
      st, std::move(h), [&] { return acl::read(st, "/v1/acl/policies", o); },
      json_read<std::vector<acl_policy_list_entry>>{});
}

void acl_role_create(client_state& st, acl_role r, write_options w, completion_handler<acl_role> h) {
  run_request<acl_role>(st, std::move(h), [&] { return create(st, "/v1/acl/role", "role", r, w); },
                        json_value<acl_role>{});
}

void acl_role_read(client_state& st, std::string id, query_options o, acl_read<std::optional<acl_role>> h) {
  run_request<query_result<std::optional<acl_role>>>(
      st, std::move(h), [&] { return acl::read_at(st, role_path, "role ID", id, o); },
      acl::json_read_optional<acl_role>{});
}

void acl_role_read_by_name(client_state& st, std::string name, query_options o, acl_read<std::optional<acl_role>> h) {
  run_request<query_result<std::optional<acl_role>>>(
      st, std::move(h), [&] { return acl::read_at(st, "/v1/acl/role/name/", "role name", name, o); },
      acl::json_read_optional<acl_role>{});
}

void acl_role_update(client_state& st, acl_role r, write_options w, completion_handler<acl_role> h) {
  run_request<acl_role>(st, std::move(h), [&] { return update(st, role_path, "role", r, w); }, json_value<acl_role>{});
}

void acl_role_delete(client_state& st, std::string id, write_options w, completion_handler<void> h) {
  run_request<void>(st, std::move(h), [&] { return acl::delete_at(st, role_path, "role ID", id, w); },
                    status_only{});
}

void acl_role_list(client_state& st, std::string policy, query_options o, acl_read<std::vector<acl_role>> h) {
  run_request<query_result<std::vector<acl_role>>>(
      st, std::move(h),
      [&] {
        auto b = acl::read(st, "/v1/acl/roles", o);
        b.require_printable("policy ID", policy).param_if("policy", policy);
        return b;
      },
      json_read<std::vector<acl_role>>{});
}

}  // namespace coconsul::detail
