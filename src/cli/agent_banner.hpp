#pragma once
// What `coconsul agent` prints before its logs: Consul's start-up banner (command/agent/
// agent.go), with coconsul's own "HTTP address: IP:PORT" line that scripts read.

#include <ostream>
#include <string>
#include <vector>

namespace coconsul::cli {

struct banner_facts {
  std::string node_id, node_name, datacenter;
  bool server = false, bootstrap = false, encrypt = false;
  std::string client_addr;  // "" when nothing listens for clients
  int http_port = -1, https_port = -1, grpc_port = -1, grpc_tls_port = -1, dns_port = -1;
  std::string cluster_addr;
  int serf_lan_port = -1, serf_wan_port = -1;
  std::string http_address;  // "127.0.0.1:8500", or "" without HTTP
};

// "==> Starting Consul agent..." and the lines that describe the agent.
void print_banner(std::ostream& out, const banner_facts& f);

// The one line that lists the keys and flags accepted but without effect here.
void print_ignored(std::ostream& out, const std::vector<std::string>& ignored);

}  // namespace coconsul::cli
