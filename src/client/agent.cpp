#include <coconsul/agent.hpp>

#include "client/interpret.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"

namespace coconsul::detail {
namespace {

http::request get(const client_state& st, std::string path, const query_options& o) {
  return std::move(protocol::request_builder(http::verb::get, std::move(path)).read(o, st.cfg)).finish();
}

// A PUT to the agent, optionally with a JSON body. Agent writes set state to a given value, so
// a retry on a stale connection is harmless.
http::request put(const client_state& st, std::string path, const write_options& w, std::string json_body = {}) {
  protocol::request_builder b(http::verb::put, std::move(path));
  b.write(w, st.cfg);
  if (!json_body.empty()) b.body(std::move(json_body));
  return std::move(b).finish();
}

std::string id_path(std::string_view prefix, std::string_view what, std::string_view id) {
  protocol::require_name(what, id);
  return std::string(prefix) + protocol::percent_encode(id);
}

void require_status(std::string_view status) {
  if (status != "passing" && status != "warning" && status != "critical")
    throw error(make_error_code(errc::invalid_argument),
                {0, "check status \"" + std::string(status) + "\" is not passing, warning or critical"});
}

}  // namespace

void agent_read_self(client_state& st, query_options o, completion_handler<query_result<agent_self>> h) {
  run_request<query_result<agent_self>>(st, std::move(h), [&] { return get(st, "/v1/agent/self", o); },
                                                  json_read<agent_self>{});
}

void agent_members(client_state& st, gossip_pool pool, query_options o, completion_handler<query_result<std::vector<member>>> h) {
  run_request<query_result<std::vector<member>>>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::get, "/v1/agent/members");
        if (pool == gossip_pool::wan) b.param("wan", "1");
        return std::move(b.read(o, st.cfg)).finish();
      },
      json_read<std::vector<member>>{});
}

void agent_services(client_state& st, query_options o,
                    completion_handler<query_result<std::map<std::string, agent_service>>> h) {
  run_request<query_result<std::map<std::string, agent_service>>>(
      st, std::move(h), [&] { return get(st, "/v1/agent/services", o); },
      json_read<std::map<std::string, agent_service>>{});
}

void agent_read_service(client_state& st, std::string id, query_options o,
                   completion_handler<query_result<agent_service>> h) {
  run_request<query_result<agent_service>>(
      st, std::move(h), [&] { return get(st, id_path("/v1/agent/service/", "service ID", id), o); },
      json_read<agent_service>{});
}

void agent_checks(client_state& st, query_options o, completion_handler<query_result<std::map<std::string, agent_check>>> h) {
  run_request<query_result<std::map<std::string, agent_check>>>(
      st, std::move(h), [&] { return get(st, "/v1/agent/checks", o); },
      json_read<std::map<std::string, agent_check>>{});
}

void agent_register_service(client_state& st, service_registration reg, register_options opts, write_options w,
                            completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        protocol::require_name("service name", reg.name);
        protocol::require_printable("service ID", reg.id);
        for (const auto& tag : reg.tags) protocol::require_printable("tag", tag);
        std::string path = "/v1/agent/service/register";
        if (opts.replace_existing_checks) path += "?replace-existing-checks=true";
        return put(st, std::move(path), w, encode_json(reg));
      },
      status_only{});
}

void agent_deregister_service(client_state& st, std::string id, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h), [&] { return put(st, id_path("/v1/agent/service/deregister/", "service ID", id), w); },
      status_only{});
}

void agent_register_check(client_state& st, check_registration check, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        protocol::require_name("check name", check.name);
        protocol::require_printable("check ID", check.id);
        if (!check.status.empty()) require_status(check.status);
        return put(st, "/v1/agent/check/register", w, encode_json(check));
      },
      status_only{});
}

void agent_deregister_check(client_state& st, std::string id, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h), [&] { return put(st, id_path("/v1/agent/check/deregister/", "check ID", id), w); },
      status_only{});
}

void agent_ttl(client_state& st, ttl_change c, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        if (!c.verb) {
          require_status(c.status);
          return put(st, id_path("/v1/agent/check/update/", "check ID", c.check_id), c.scope,
                     encode_json(check_update{.status = c.status, .output = c.note}));
        }
        const char* prefix = *c.verb == ttl_verb::pass   ? "/v1/agent/check/pass/"
                             : *c.verb == ttl_verb::warn ? "/v1/agent/check/warn/"
                                                         : "/v1/agent/check/fail/";
        protocol::request_builder b(http::verb::put, id_path(prefix, "check ID", c.check_id));
        b.param_if("note", c.note).write(c.scope, st.cfg);
        return std::move(b).finish();
      },
      status_only{});
}

void agent_maintenance(client_state& st, std::string id, bool enable, std::string reason, write_options w,
                       completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::put, id_path("/v1/agent/service/maintenance/", "service ID", id));
        b.param("enable", enable ? "true" : "false").param_if("reason", reason).write(w, st.cfg);
        return std::move(b).finish();
      },
      status_only{});
}

}  // namespace coconsul::detail
