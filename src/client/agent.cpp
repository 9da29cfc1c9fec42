// /v1/agent operations (agent_api): each builds its request, refusing bad input, and runs it
// through run_request.
#include <coconsul/agent.hpp>

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

// A request to prefix + the encoded ID, refused first of all when the ID is empty or bad. Agent
// writes set state to a given value, so a retry on a stale connection is harmless (the
// builder's default: idempotent).
protocol::request_builder by_id(http::verb method, std::string_view prefix, std::string_view what, std::string_view id) {
  protocol::request_builder b(method, std::string(prefix) + protocol::percent_encode(id));
  b.require_name(what, id);
  return b;
}

protocol::refusal check_status(std::string_view status) {
  if (status != "passing" && status != "warning" && status != "critical")
    return {"check status \"" + std::string(status) + "\" is not passing, warning or critical"};
  return {};
}

}  // namespace

void agent_read_self(client_state& st, query_options o, completion_handler<query_result<agent_self>> h) {
  run_request<query_result<agent_self>>(st, std::move(h), [&] { return get(st, "/v1/agent/self", o); },
                                                  json_read<agent_self>{});
}

void agent_read_host(client_state& st, query_options o, completion_handler<query_result<agent_host>> h) {
  run_request<query_result<agent_host>>(st, std::move(h), [&] { return get(st, "/v1/agent/host", o); },
                                        json_read<agent_host>{});
}

void agent_read_metrics(client_state& st, query_options o, completion_handler<query_result<agent_metrics>> h) {
  run_request<query_result<agent_metrics>>(st, std::move(h), [&] { return get(st, "/v1/agent/metrics", o); },
                                           json_read<agent_metrics>{});
}

void agent_members(client_state& st, gossip_pool pool, query_options o, completion_handler<query_result<std::vector<member>>> h) {
  run_request<query_result<std::vector<member>>>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::get, "/v1/agent/members");
        if (pool == gossip_pool::wan) b.param("wan", "1");
        b.read(o, st.cfg);
        return b;
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
      st, std::move(h), [&] {
        auto b = by_id(http::verb::get, "/v1/agent/service/", "service ID", id);
        b.read(o, st.cfg);
        return b;
      },
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
        std::string path = "/v1/agent/service/register";
        if (opts.replace_existing_checks) path += "?replace-existing-checks=true";
        protocol::request_builder b(http::verb::put, std::move(path));
        b.require_name("service name", reg.name).require_printable("service ID", reg.id);
        for (const auto& tag : reg.tags) b.require_printable("tag", tag);
        b.write(w, st.cfg).body(encode_json(reg));
        return b;
      },
      status_only{});
}

void agent_deregister_service(client_state& st, std::string id, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        auto b = by_id(http::verb::put, "/v1/agent/service/deregister/", "service ID", id);
        b.write(w, st.cfg);
        return b;
      },
      status_only{});
}

void agent_register_check(client_state& st, check_registration check, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::put, "/v1/agent/check/register");
        b.require_name("check name", check.name).require_printable("check ID", check.id);
        if (!check.status.empty()) b.refuse(check_status(check.status));
        b.write(w, st.cfg).body(encode_json(check));
        return b;
      },
      status_only{});
}

void agent_deregister_check(client_state& st, std::string id, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        auto b = by_id(http::verb::put, "/v1/agent/check/deregister/", "check ID", id);
        b.write(w, st.cfg);
        return b;
      },
      status_only{});
}

void agent_ttl(client_state& st, ttl_change c, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        if (!c.verb) {
          // The status is checked before the ID (the order of the refusals is kept).
          protocol::request_builder b(http::verb::put, "/v1/agent/check/update/" + protocol::percent_encode(c.check_id));
          b.refuse(check_status(c.status)).require_name("check ID", c.check_id);
          b.write(c.scope, st.cfg).body(encode_json(check_update{.status = c.status, .output = c.note}));
          return b;
        }
        const char* prefix = *c.verb == ttl_verb::pass   ? "/v1/agent/check/pass/"
                             : *c.verb == ttl_verb::warn ? "/v1/agent/check/warn/"
                                                         : "/v1/agent/check/fail/";
        auto b = by_id(http::verb::put, prefix, "check ID", c.check_id);
        b.param_if("note", c.note).write(c.scope, st.cfg);
        return b;
      },
      status_only{});
}

void agent_maintenance(client_state& st, maintenance_change m, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        auto b = by_id(http::verb::put, "/v1/agent/service/maintenance/", "service ID", m.service_id);
        b.param("enable", m.enable ? "true" : "false").param_if("reason", m.reason).write(m.scope, st.cfg);
        return b;
      },
      status_only{});
}

}  // namespace coconsul::detail
