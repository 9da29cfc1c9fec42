// agent_api's control of the agent itself: join, leave, force-leave, reload, node maintenance
// and its ACL tokens. Each builds its request, refusing bad input, and runs it through
// run_request.
#include <coconsul/agent.hpp>

#include "client/interpret.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace coconsul::detail {
namespace {

// A PUT to `path` with the write scope. Not retried on a stale connection: a leave or a join
// acts, it does not set a value.
protocol::request_builder put(const client_state& st, std::string path, const write_options& w) {
  protocol::request_builder b(http::verb::put, std::move(path));
  b.write(w, st.cfg).idempotent(false);
  return b;
}

// An address in the path as Go's client writes it: escaped, but its port's ':' kept
// (url.URL.EscapedPath leaves ':' alone after the first segment).
std::string address_segment(std::string_view address) {
  std::string encoded = protocol::percent_encode(address);
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded.compare(i, 3, "%3A") == 0) {
      out += ':';
      i += 2;
    } else {
      out += encoded[i];
    }
  }
  return out;
}

const char* token_path(agent_token_kind kind) {
  switch (kind) {
    case agent_token_kind::default_token: return "/v1/agent/token/default";
    case agent_token_kind::agent: return "/v1/agent/token/agent";
    case agent_token_kind::agent_recovery: return "/v1/agent/token/agent_recovery";
    case agent_token_kind::replication: return "/v1/agent/token/replication";
  }
  return "/v1/agent/token/default";
}

}  // namespace

void agent_join(client_state& st, std::string address, join_options opts, write_options w, completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        auto b = put(st, "/v1/agent/join/" + address_segment(address), w);
        b.require_name("join address", address);
        if (opts.wan) b.param("wan", "1");
        return b;
      },
      status_only{});
}

void agent_leave(client_state& st, write_options w, completion_handler<void> h) {
  run_request<void>(st, std::move(h), [&] { return put(st, "/v1/agent/leave", w); }, status_only{});
}

void agent_force_leave(client_state& st, std::string node, force_leave_options opts, write_options w,
                       completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        auto b = put(st, "/v1/agent/force-leave/" + protocol::percent_encode(node), w);
        b.require_name("node name", node);
        if (opts.prune) b.param("prune", "1");
        if (opts.wan) b.param("wan", "1");
        return b;
      },
      status_only{});
}

void agent_reload(client_state& st, write_options w, completion_handler<void> h) {
  run_request<void>(st, std::move(h), [&] { return put(st, "/v1/agent/reload", w); }, status_only{});
}

void agent_node_maintenance(client_state& st, bool enable, std::string reason, write_options w,
                            completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::put, "/v1/agent/maintenance");
        b.param("enable", enable ? "true" : "false").param_if("reason", reason).write(w, st.cfg);
        return b;
      },
      status_only{});
}

void agent_update_token(client_state& st, agent_token_kind kind, std::string value, write_options w,
                        completion_handler<void> h) {
  run_request<void>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::put, token_path(kind));
        b.require_printable("token", value).write(w, st.cfg);
        boost::json::object body;
        body["Token"] = value;
        b.body(boost::json::serialize(body));
        return b;
      },
      status_only{});
}

}  // namespace coconsul::detail
