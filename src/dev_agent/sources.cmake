# Sources of the dev agent (layer 8; see src/CMakeLists.txt), one line per layer folder, lowest
# first: each folder includes only the ones above it (docs/architecture.md).
set(COCONSUL_SOURCES
  common/log.cpp common/log_tap.cpp common/uuid.cpp
  ui/assets.cpp
  http/message.cpp http/request_values.cpp http/responders.cpp http/json_in.cpp http/json_out.cpp http/request_reader.cpp
  http/rejection.cpp http/server.cpp
  store/state.cpp store/state_kv.cpp store/watch_hub.cpp
  store/same_record.cpp store/virtual_ips.cpp
  store/acl_state.cpp
  acl/policy.cpp acl/rules_hcl.cpp acl/rules_unquote.cpp acl/rules_json.cpp acl/rules.cpp acl/authorizer.cpp acl/identities.cpp acl/denied.cpp acl/resolve.cpp
  store/config_entry_state.cpp
  store/prepared_query_state.cpp store/prepared_query_template.cpp store/prepared_query_execute.cpp
  config_entries/schemas.cpp config_entries/errors.cpp config_entries/decode.cpp config_entries/common_rules.cpp
  config_entries/chain_checks.cpp config_entries/service_defaults.cpp config_entries/service_router.cpp
  config_entries/service_splitter.cpp config_entries/service_resolver.cpp config_entries/gateways.cpp
  config_entries/mesh_exports.cpp config_entries/gateway_services.cpp config_entries/kinds.cpp
  config_entries/service_intentions.cpp config_entries/views.cpp
  config_entries/intentions.cpp config_entries/blake2b.cpp
  config_entries/chain_compile.cpp config_entries/chain_targets.cpp config_entries/chain_hash.cpp config_entries/chain_render.cpp
  connect/crypto.cpp connect/spiffe.cpp connect/certs.cpp connect/provider_config.cpp connect/ca_state.cpp connect/leaf_cache.cpp
  acl/jwt_go_values.cpp acl/jwt_keys.cpp acl/jwt_config.cpp acl/jwt_token.cpp acl/jwt_claims.cpp
  local/check_spec.cpp local/background_task.cpp local/local_agent.cpp local/check_runner.cpp local/check_http.cpp
  local/check_https.cpp local/check_tcp.cpp local/reaper.cpp local/session_ttl.cpp
  local/proxy_rules.cpp local/sidecar.cpp
  endpoints/faults.cpp endpoints/agent_cache.cpp endpoints/blocking.cpp endpoints/render.cpp endpoints/decode.cpp endpoints/filter.cpp
  endpoints/decode_proxy.cpp endpoints/render_proxy.cpp
  endpoints/filter_parse.cpp endpoints/regex.cpp
  endpoints/dispatch.cpp endpoints/agent.cpp endpoints/catalog.cpp endpoints/health.cpp endpoints/kv.cpp
  endpoints/session.cpp endpoints/status.cpp endpoints/event.cpp endpoints/event_size.cpp endpoints/txn.cpp
  endpoints/ui.cpp
  endpoints/agent_self.cpp endpoints/agent_debug_config.cpp endpoints/agent_host.cpp
  dns/wire.cpp dns/names.cpp dns/catalog.cpp dns/prepared_query.cpp dns/records.cpp dns/trim.cpp dns/answer.cpp dns/responder.cpp dns/server.cpp
  config/keys.cpp config/normalize.cpp config/flags.cpp config/sources.cpp config/validate.cpp config/sections.cpp
  config/definitions_json.cpp config/acl_section.cpp config/load.cpp endpoints/definitions.cpp endpoints/agent_reload.cpp
  endpoints/agent_monitor.cpp endpoints/agent_membership.cpp endpoints/agent_token.cpp
  endpoints/connect_ca.cpp
  endpoints/intentions_common.cpp endpoints/intentions.cpp endpoints/connect_authorize.cpp
  endpoints/acl_decode.cpp endpoints/acl_layer.cpp endpoints/acl_token_source.cpp endpoints/acl_request.cpp endpoints/acl_common.cpp endpoints/acl_render.cpp
  endpoints/acl_tokens.cpp endpoints/acl_policies.cpp endpoints/acl_roles.cpp endpoints/acl_auth_methods.cpp
  endpoints/acl_bootstrap.cpp endpoints/acl_login.cpp
  endpoints/acl_binding.cpp
  endpoints/config_entries.cpp endpoints/gateway_services.cpp
  endpoints/discovery_chain.cpp
  endpoints/prepared_query_decode.cpp endpoints/prepared_query_render.cpp endpoints/prepared_query.cpp
  dev_agent.cpp)
