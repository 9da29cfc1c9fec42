#pragma once
// A user event (Consul's UserEvent): the answer to PUT /v1/event/fire/:name, and GET
// /v1/event/list returns std::vector<user_event>.

#include <coconsul/model/wire.hpp>

#include <cstdint>
#include <string>

namespace coconsul {

struct user_event {
  std::string id{};
  std::string name{};
  std::string payload{};  // bytes, base64 on the wire; null reads as ""
  std::string node_filter{};     // regular expressions restricting who handles it
  std::string service_filter{};
  std::string tag_filter{};
  int version = 0;
  std::uint64_t ltime = 0;  // Lamport time: orders events from one agent's view

  bool operator==(const user_event&) const = default;
};
COCONSUL_WIRE_STRUCT(user_event,
                     (id, "ID"), (name, "Name"), (payload, "Payload", base64),
                     (node_filter, "NodeFilter"), (service_filter, "ServiceFilter"),
                     (tag_filter, "TagFilter"), (version, "Version"), (ltime, "LTime"))

}  // namespace coconsul
