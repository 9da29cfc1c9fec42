// PUT /v1/acl/bootstrap (once; then Consul's 403 with the reset index, which a file
// acl-bootstrap-reset in the data directory can lift), GET /v1/acl/replication, and the routes
// of the legacy ACL system, gone since Consul 1.11 (410 whether ACLs are on or not).

#include "dev_agent/endpoints/acl_common.hpp"
#include "dev_agent/endpoints/acl_render.hpp"
#include "dev_agent/common/uuid.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/responders.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace coconsul::dev {

namespace json = boost::json;

namespace {

// The reset index an operator wrote into <data_dir>/acl-bootstrap-reset, 0 when there is none
// or it does not start with a number (Consul's fmt.Sscanf "%d").
std::uint64_t file_reset_index(const std::string& data_dir) {
  if (data_dir.empty()) return 0;
  std::ifstream in(std::filesystem::path(data_dir) / "acl-bootstrap-reset");
  if (!in) return 0;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  unsigned long long v = 0;
  if (std::sscanf(text.c_str(), "%llu", &v) != 1) return 0;
  return v;
}

void remove_reset_file(const std::string& data_dir) {
  std::error_code ec;  // Consul only warns when it cannot remove it
  std::filesystem::remove(std::filesystem::path(data_dir) / "acl-bootstrap-reset", ec);
}

http_response bootstrap(endpoint_context& c, http_request&) {
  require_acls_enabled(c);
  auto& tables = c.acl.tables;
  if (std::uint64_t reset = tables.bootstrap_index(); reset != 0) {
    std::uint64_t specified = file_reset_index(c.options.acl.data_dir);
    if (specified == 0)
      throw http_error{403, "Permission denied: ACL bootstrap no longer allowed (reset index: " + std::to_string(reset) + ")"};
    if (specified != reset)
      throw http_error{500, "Invalid bootstrap reset index (specified " + std::to_string(specified) +
                                ", reset index: " + std::to_string(reset) + ")"};
    remove_reset_file(c.options.acl.data_dir);
  }
  acl_write w(c);
  acl_token_record t;
  t.accessor_id = generate_uuid();
  t.secret_id = generate_uuid();
  t.description = "Bootstrap Token (Global Management)";
  t.policies.push_back(acl_link{acl_global_management_id, ""});
  t.create_time = std::chrono::system_clock::now();
  std::string accessor = t.accessor_id;
  w.tables().put_token(w.txn(), std::move(t));
  w.tables().mark_bootstrapped(w.txn());
  c.log.log(log_level::info, "agent.server.acl", "ACL bootstrap completed");
  const auto* stored = tables.token_by_accessor(accessor);
  // aclBootstrapResponse: ID (the secret) first, then the token's own fields.
  json::object out{{"ID", stored->secret_id}};
  for (auto& kv : render_acl_token(tables, *stored, true)) out[kv.key()] = kv.value();
  return json_response(out);
}

http_response replication(endpoint_context& c, http_request&) {
  require_acls_enabled(c);
  // The primary datacenter replicates from no one (structs.ACLReplicationStatus, zero values).
  constexpr const char* zero_time = "0001-01-01T00:00:00Z";
  return json_response(json::object{{"Enabled", false},
                                    {"Running", false},
                                    {"SourceDatacenter", ""},
                                    {"ReplicationType", ""},
                                    {"ReplicatedIndex", 0},
                                    {"ReplicatedRoleIndex", 0},
                                    {"ReplicatedTokenIndex", 0},
                                    {"LastSuccess", zero_time},
                                    {"LastError", zero_time},
                                    {"LastErrorMessage", ""}});
}

http_response legacy(endpoint_context&, http_request& req) {
  return text_response(410, "Endpoint " + req.path + " for the legacy ACL system was removed in Consul 1.11.");
}

}  // namespace

void add_acl_bootstrap_routes(route_table& r) {
  r.add("/v1/acl/bootstrap", {"PUT"}, &immediate<bootstrap>);
  r.add("/v1/acl/replication", {"GET"}, &immediate<replication>);
  r.add("/v1/acl/create", {"PUT"}, &immediate<legacy>);
  r.add("/v1/acl/update", {"PUT"}, &immediate<legacy>);
  r.add("/v1/acl/destroy/", {"PUT"}, &immediate<legacy>);
  r.add("/v1/acl/info/", {"GET"}, &immediate<legacy>);
  r.add("/v1/acl/clone/", {"PUT"}, &immediate<legacy>);
  r.add("/v1/acl/list", {"GET"}, &immediate<legacy>);
  r.add("/v1/acl/rules/translate", {"POST"}, &immediate<legacy>);
  r.add("/v1/acl/rules/translate/", {"GET"}, &immediate<legacy>);
}

}  // namespace coconsul::dev
