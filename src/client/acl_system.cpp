// The ACL system's own operations (acl_api): bootstrap, replication status, login and logout.
#include <coconsul/acl.hpp>

#include "client/acl_request.hpp"
#include "client/operation.hpp"

namespace coconsul::detail {

void acl_bootstrap(client_state& st, write_options w, completion_handler<acl_token> h) {
  run_request<acl_token>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::put, "/v1/acl/bootstrap");
        b.write(w, st.cfg).idempotent(false);  // a retry would be refused: bootstrap works once
        return b;
      },
      json_value<acl_token>{});
}

void acl_replication(client_state& st, query_options o, acl_read<acl_replication_status> h) {
  run_request<query_result<acl_replication_status>>(
      st, std::move(h), [&] { return acl::read(st, "/v1/acl/replication", o); },
      json_read<acl_replication_status>{});
}

void acl_login(client_state& st, acl_login_params p, write_options w, completion_handler<acl_token> h) {
  run_request<acl_token>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::post, "/v1/acl/login");
        if (!w.token.empty()) b.refuse({"login is sent without a token (Consul refuses one): leave write_options.token empty"});
        b.require_name("auth method name", p.auth_method).require_name("bearer token", p.bearer_token);
        // Consul refuses a login that carries a token ("do not provide a token when logging in"),
        // so the client's own token stays home; its datacenter, namespace and partition do not.
        config anonymous = st.cfg;
        anonymous.token.clear();
        b.write(w, anonymous).body(encode_json(p)).idempotent(false);  // each login makes a token
        return b;
      },
      json_value<acl_token>{});
}

void acl_logout(client_state& st, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::post, "/v1/acl/logout");
        b.write(w, st.cfg);
        return b;
      },
      status_only{});
}

}  // namespace coconsul::detail
