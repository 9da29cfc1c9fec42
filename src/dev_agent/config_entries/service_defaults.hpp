#pragma once
// Typed views of service-defaults and proxy-defaults entries, for the discovery chain: what it
// reads of them (protocol, mesh gateway mode, transparent proxy), as plain structs.

#include "dev_agent/config_entries/view_common.hpp"

#include <boost/json/object.hpp>

#include <map>
#include <string>

namespace coconsul::dev::config_entries {

struct service_defaults {
  std::string name;
  std::string protocol;  // lower-case; "" when unset
  std::string mode;      // proxy mode: "", "direct", "transparent"
  mesh_gateway_config mesh_gateway;
  int outbound_listener_port = 0;  // TransparentProxy
  bool dialed_directly = false;    // TransparentProxy
  std::string external_sni;
  std::map<std::string, std::string> meta;
};

struct proxy_defaults {
  std::string name;                // always "global"
  boost::json::object config;      // Config, as given
  std::string protocol;            // Config.protocol, lower-case; "" when unset
  std::string mode;
  mesh_gateway_config mesh_gateway;
  bool dialed_directly = false;  // TransparentProxy
  std::map<std::string, std::string> meta;
};

service_defaults read_service_defaults(const boost::json::object& entry);
proxy_defaults read_proxy_defaults(const boost::json::object& entry);

}  // namespace coconsul::dev::config_entries
