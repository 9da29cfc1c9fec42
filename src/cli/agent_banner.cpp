// Consul's start-up banner (see agent_banner.hpp).

#include "cli/agent_banner.hpp"

#include "dev_agent/common/versions.hpp"

#include <iomanip>

namespace coconsul::cli {

namespace {

// Consul's banner lines: four spaces, the label right-aligned, a colon.
void line(std::ostream& out, const char* label, const std::string& value) {
  out << "    " << std::setw(17) << label << ": " << value << "\n";
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }
std::string yes_no(bool b) { return b ? "true" : "false"; }

}  // namespace

void print_banner(std::ostream& out, const banner_facts& f) {
  out << "==> Starting Consul agent...\n";
  line(out, "Version", quoted(std::string(dev::consul_version)));
  // An unstamped build's date, as Go's time.String() prints it.
  line(out, "Build Date", quoted("1970-01-01 00:00:01 +0000 UTC"));
  line(out, "Node ID", quoted(f.node_id));
  line(out, "Node name", quoted(f.node_name));
  line(out, "Datacenter", quoted(f.datacenter) + " (Segment: '" + (f.server ? "<all>" : "") + "')");
  line(out, "Server", yes_no(f.server) + " (Bootstrap: " + yes_no(f.bootstrap) + ")");
  std::string clients = f.client_addr.empty() ? "[]" : "[" + f.client_addr + "]";
  line(out, "Client Addr",
       clients + " (HTTP: " + std::to_string(f.http_port) + ", HTTPS: " + std::to_string(f.https_port) +
           ", gRPC: " + std::to_string(f.grpc_port) + ", gRPC-TLS: " + std::to_string(f.grpc_tls_port) +
           ", DNS: " + std::to_string(f.dns_port) + ")");
  line(out, "Cluster Addr",
       f.cluster_addr + " (LAN: " + std::to_string(f.serf_lan_port) + ", WAN: " + std::to_string(f.serf_wan_port) + ")");
  line(out, "Gossip Encryption", yes_no(f.encrypt));
  line(out, "Auto-Encrypt-TLS", "false");
  line(out, "HTTPS TLS", "Verify Incoming: false, Verify Outgoing: false, Min Version: TLSv1_2");
  line(out, "gRPC TLS", "Verify Incoming: false, Min Version: TLSv1_2");
  line(out, "Internal RPC TLS",
       "Verify Incoming: false, Verify Outgoing: false (Verify Hostname: false), Min Version: TLSv1_2");
  // coconsul's own line, which scripts and tests read to find the agent.
  if (!f.http_address.empty()) line(out, "HTTP address", f.http_address);
  out << "\n==> Log data will now stream in as it occurs:\n\n";
}

void print_ignored(std::ostream& out, const std::vector<std::string>& ignored) {
  if (ignored.empty()) return;
  out << "==> Accepted for Consul compatibility, without effect here:";
  for (std::size_t i = 0; i < ignored.size(); ++i) out << (i ? ", " : " ") << ignored[i];
  out << "\n";
}

}  // namespace coconsul::cli
