// /v1/acl/auth-method* and /v1/acl/binding-rule* operations (acl_api): create, read, update,
// delete and list.
#include <coconsul/acl.hpp>

#include "client/acl_request.hpp"
#include "client/operation.hpp"

namespace coconsul::detail {
namespace {

constexpr std::string_view method_path = "/v1/acl/auth-method/";
constexpr std::string_view rule_path = "/v1/acl/binding-rule/";

protocol::request_builder method_write(const client_state& st, protocol::request_builder b, const acl_auth_method& m,
                                       const write_options& w) {
  b.require_name("auth method name", m.name).require_name("auth method type", m.type);
  if (m.max_token_ttl.count() < 0) b.refuse({"auth method max_token_ttl is negative"});
  acl::send(b, st, w, m);
  return b;
}

protocol::request_builder rule_write(const client_state& st, protocol::request_builder b, const acl_binding_rule& r,
                                     const write_options& w) {
  b.require_name("binding rule auth method", r.auth_method).require_name("binding rule bind type", r.bind_type);
  b.require_name("binding rule bind name", r.bind_name);
  acl::send(b, st, w, r);
  return b;
}

}  // namespace

void acl_auth_method_create(client_state& st, acl_auth_method m, write_options w,
                            completion_handler<acl_auth_method> h) {
  run_request<acl_auth_method>(
      st, std::move(h),
      [&] {
        auto b = method_write(st, protocol::request_builder(http::verb::put, "/v1/acl/auth-method"), m, w);
        b.idempotent(false);  // a retry would meet its own first attempt
        return b;
      },
      json_value<acl_auth_method>{});
}

void acl_auth_method_read(client_state& st, std::string name, query_options o,
                          acl_read<std::optional<acl_auth_method>> h) {
  run_request<query_result<std::optional<acl_auth_method>>>(
      st, std::move(h), [&] { return acl::read_at(st, method_path, "auth method name", name, o); },
      acl::json_read_optional<acl_auth_method>{});
}

void acl_auth_method_update(client_state& st, acl_auth_method m, write_options w,
                            completion_handler<acl_auth_method> h) {
  run_request<acl_auth_method>(
      st, std::move(h),
      [&] { return method_write(st, acl::at(http::verb::put, method_path, "auth method name", m.name), m, w); },
      json_value<acl_auth_method>{});
}

void acl_auth_method_delete(client_state& st, std::string name, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h), [&] { return acl::delete_at(st, method_path, "auth method name", name, w); }, status_only{});
}

void acl_auth_method_list(client_state& st, query_options o, acl_read<std::vector<acl_auth_method_list_entry>> h) {
  run_request<query_result<std::vector<acl_auth_method_list_entry>>>(
      st, std::move(h), [&] { return acl::read(st, "/v1/acl/auth-methods", o); },
      json_read<std::vector<acl_auth_method_list_entry>>{});
}

void acl_binding_rule_create(client_state& st, acl_binding_rule r, write_options w,
                             completion_handler<acl_binding_rule> h) {
  run_request<acl_binding_rule>(
      st, std::move(h),
      [&] {
        auto b = rule_write(st, protocol::request_builder(http::verb::put, "/v1/acl/binding-rule"), r, w);
        if (!r.id.empty()) b.refuse({"binding rule ID must be empty when creating: Consul assigns it"});
        b.idempotent(false);  // a retry would make a second rule
        return b;
      },
      json_value<acl_binding_rule>{});
}

void acl_binding_rule_read(client_state& st, std::string id, query_options o,
                           acl_read<std::optional<acl_binding_rule>> h) {
  run_request<query_result<std::optional<acl_binding_rule>>>(
      st, std::move(h), [&] { return acl::read_at(st, rule_path, "binding rule ID", id, o); },
      acl::json_read_optional<acl_binding_rule>{});
}

void acl_binding_rule_update(client_state& st, acl_binding_rule r, write_options w,
                             completion_handler<acl_binding_rule> h) {
  run_request<acl_binding_rule>(
      st, std::move(h),
      [&] { return rule_write(st, acl::at(http::verb::put, rule_path, "binding rule ID", r.id), r, w); },
      json_value<acl_binding_rule>{});
}

void acl_binding_rule_delete(client_state& st, std::string id, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h), [&] { return acl::delete_at(st, rule_path, "binding rule ID", id, w); }, status_only{});
}

void acl_binding_rule_list(client_state& st, std::string method, query_options o,
                           acl_read<std::vector<acl_binding_rule>> h) {
  run_request<query_result<std::vector<acl_binding_rule>>>(
      st, std::move(h),
      [&] {
        auto b = acl::read(st, "/v1/acl/binding-rules", o);
        b.require_printable("auth method name", method).param_if("authmethod", method);
        return b;
      },
      json_read<std::vector<acl_binding_rule>>{});
}

}  // namespace coconsul::detail
