#pragma once
// Service and check registrations as PUT /v1/agent/service/register and
// /v1/agent/check/register decide them (decoding, Consul's checks, then local_agent), shared by
// those endpoints and by the definitions of config files, which are registered at start and
// re-applied by a reload: what a reload no longer finds is deregistered, what changed is
// registered again, what is unchanged is left alone (its checks keep their status).

#include "dev_agent/local/check_spec.hpp"
#include "dev_agent/local/local_agent.hpp"
#include "dev_agent/local/sidecar.hpp"
#include "dev_agent/store/records.hpp"
#include "dev_agent/store/state.hpp"

#include <coconsul/dev_agent_options.hpp>

#include <boost/json/value.hpp>

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace coconsul::dev {

// A service registration body, decoded and checked. Throws body_decode_error or http_error
// with Consul's status and text.
struct service_registration {
  service_record service;
  std::vector<check_spec> checks;
  // Connect.SidecarService with its defaults, registered with the service; its port and
  // default checks come from complete_sidecar.
  std::optional<sidecar_registration> sidecar;
};
service_registration prepare_service_registration(const boost::json::value& body);
// Gives the sidecar (if any) its port and default checks among `local`'s services, and
// validates it: http_error 400 "Invalid SidecarService: ..." or "Failed Validation: ...".
void complete_sidecar(const local_agent& local, const state_store& state, service_registration& r);
// A check registration body, decoded and checked (all but its ServiceID, see register_check).
check_spec prepare_check_registration(const boost::json::value& body);

// Registers the service, then its sidecar (completed first).
void register_service(local_agent& local, service_registration r, bool replace_existing_checks);
// Throws http_error 404 when the check names a service this agent does not have.
void register_check(local_agent& local, const state_store& state, const std::string& node, check_spec spec);

// A definition from the config that Consul would refuse: "failed to register service "web":
// Invalid check: ...".
class definition_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The services and checks the config files registered.
class config_definitions {
 public:
  // `source` gives the configuration a reload applies (dev_agent_options::reload_source).
  explicit config_definitions(std::function<dev_agent_options()> source) : source_(std::move(source)) {}

  // Registers `services` and `checks` (HTTP API bodies, dev_agent_options' definitions) after
  // checking every one; deregisters what an earlier apply registered and these no longer have.
  // Throws definition_error, and then changes nothing.
  void apply(local_agent& local, const state_store& state, const std::string& node,
             const std::vector<std::string>& services, const std::vector<std::string>& checks);

  // PUT /v1/agent/reload: takes the definitions from the source and applies them. Throws what
  // the source throws (Consul's text for a configuration it would refuse) or definition_error.
  // Without a source, the definitions stay as they are.
  void reload(local_agent& local, const state_store& state, const std::string& node);

 private:
  std::function<dev_agent_options()> source_;
  std::map<std::string, std::string> services_;  // service ID -> the body it was registered with
  std::map<std::string, std::string> checks_;    // check ID -> the body
};

}  // namespace coconsul::dev
