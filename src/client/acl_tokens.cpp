// /v1/acl/token* operations (acl_api): create, read (plain, expanded, self), update, clone,
// delete and list with its filters.
#include <coconsul/acl.hpp>

#include "client/acl_request.hpp"
#include "client/operation.hpp"

namespace coconsul::detail {
namespace {

constexpr std::string_view token_path = "/v1/acl/token/";
constexpr std::string_view accessor = "token AccessorID";

// The expanded read's one object holds the token's fields and the expansion's side by side.
struct read_expanded {
  error_code operator()(const http::response& r, diagnostics& diag, query_result<acl_token_expanded>& out) const {
    if (auto ec = protocol::check_status(r, diag)) return ec;
    if (auto ec = protocol::read_query_meta(r, out.meta, diag)) return ec;
    if (auto ec = decode_body(r, out.value.token, diag)) return ec;
    return decode_body(r, out.value.expansion, diag);
  }
};

}  // namespace

void acl_token_create(client_state& st, acl_token t, write_options w, completion_handler<acl_token> h) {
  run_request<acl_token>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::put, "/v1/acl/token");
        if (t.expiration_ttl.count() < 0) b.refuse({"token expiration_ttl is negative"});
        acl::send(b, st, w, t);
        b.idempotent(false);  // a retry would make a second token
        return b;
      },
      json_value<acl_token>{});
}

void acl_token_read(client_state& st, std::string id, query_options o, acl_read<acl_token> h) {
  run_request<query_result<acl_token>>(
      st, std::move(h), [&] { return acl::read_at(st, token_path, accessor, id, o); }, json_read<acl_token>{});
}

void acl_token_read_expanded(client_state& st, std::string id, query_options o, acl_read<acl_token_expanded> h) {
  run_request<query_result<acl_token_expanded>>(
      st, std::move(h),
      [&] {
        auto b = acl::read_at(st, token_path, accessor, id, o);
        b.flag("expanded");
        return b;
      },
      read_expanded{});
}

void acl_token_read_self(client_state& st, query_options o, acl_read<acl_token> h) {
  run_request<query_result<acl_token>>(
      st, std::move(h), [&] { return acl::read(st, "/v1/acl/token/self", o); }, json_read<acl_token>{});
}

void acl_token_update(client_state& st, acl_token t, write_options w, completion_handler<acl_token> h) {
  run_request<acl_token>(
      st, std::move(h),
      [&] {
        auto b = acl::at(http::verb::put, token_path, accessor, t.accessor_id);
        acl::send(b, st, w, t);
        return b;
      },
      json_value<acl_token>{});
}

void acl_token_clone(client_state& st, std::string id, std::string description, write_options w,
                     completion_handler<acl_token> h) {
  run_request<acl_token>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::put, std::string(token_path) + protocol::percent_encode(id) + "/clone");
        b.require_name(accessor, id);
        acl::send(b, st, w, acl_token_clone_request{.description = description});
        b.idempotent(false);  // a retry would make a second clone
        return b;
      },
      json_value<acl_token>{});
}

void acl_token_delete(client_state& st, std::string id, write_options w, completion_handler<void> h) {
  run_request<void>(st, std::move(h), [&] { return acl::delete_at(st, token_path, accessor, id, w); }, status_only{});
}

void acl_token_list(client_state& st, acl_token_list_filter f, query_options o,
                    acl_read<std::vector<acl_token_list_entry>> h) {
  run_request<query_result<std::vector<acl_token_list_entry>>>(
      st, std::move(h),
      [&] {
        auto b = acl::read(st, "/v1/acl/tokens", o);
        const int filters = !f.policy.empty() + !f.role.empty() + !f.auth_method.empty();
        if (filters > 1) b.refuse({"token_list takes one filter at a time (policy, role or auth_method)"});
        b.require_printable("policy ID", f.policy).require_printable("role ID", f.role);
        b.require_printable("auth method name", f.auth_method);
        b.param_if("policy", f.policy).param_if("role", f.role).param_if("authmethod", f.auth_method);
        return b;
      },
      json_read<std::vector<acl_token_list_entry>>{});
}

}  // namespace coconsul::detail
