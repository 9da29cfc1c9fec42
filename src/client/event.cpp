// /v1/event operations (event_api): fire and list user events.
#include <coconsul/event.hpp>

#include "client/interpret.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"

namespace coconsul::detail {

void event_fire(client_state& st, std::string name, std::string payload, event_filter filter, write_options w,
                completion_handler<user_event> h) {
  run_request<user_event>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::put, "/v1/event/fire/" + protocol::percent_encode(name));
        b.require_name("event name", name);
        b.param_if("node", filter.node).param_if("service", filter.service).param_if("tag", filter.tag);
        b.write(w, st.cfg).body(std::move(payload), "application/octet-stream").idempotent(false);
        return b;
      },
      json_value<user_event>{});
}

void event_list(client_state& st, std::string name, query_options o,
                completion_handler<query_result<std::vector<user_event>>> h) {
  run_request<query_result<std::vector<user_event>>>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::get, "/v1/event/list");
        b.require_printable("event name", name).param_if("name", name).read(o, st.cfg);
        return b;
      },
      json_read<std::vector<user_event>>{});
}

}  // namespace coconsul::detail
