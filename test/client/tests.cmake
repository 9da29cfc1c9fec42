# The client against the in-process dev agent.
coconsul_test(client_kv_test ${CMAKE_CURRENT_LIST_DIR}/kv_test.cpp)
coconsul_test(client_api_test ${CMAKE_CURRENT_LIST_DIR}/api_test.cpp)
coconsul_test(client_lock_test ${CMAKE_CURRENT_LIST_DIR}/lock_test.cpp)
# The client against a scripted server (test/http/test_server.hpp): answers Consul never gives.
coconsul_test(client_decode_test ${CMAKE_CURRENT_LIST_DIR}/decode_test.cpp
  ${PROJECT_SOURCE_DIR}/test/http/test_server.cpp)
target_include_directories(client_decode_test PRIVATE ${PROJECT_SOURCE_DIR}/test/http)
coconsul_test(client_agent_cache_test ${CMAKE_CURRENT_LIST_DIR}/agent_cache_client_test.cpp)
# Agent control and the log monitor (issue 13): the dev agent, and a scripted server for the stream's edges.
coconsul_test(client_agent_ops_test ${CMAKE_CURRENT_LIST_DIR}/agent_ops_test.cpp
  ${PROJECT_SOURCE_DIR}/test/http/test_server.cpp)
target_include_directories(client_agent_ops_test PRIVATE ${PROJECT_SOURCE_DIR}/test/http)
coconsul_test(client_connect_ca_test ${CMAKE_CURRENT_LIST_DIR}/connect_ca_test.cpp)
coconsul_test(client_connect_intentions_test ${CMAKE_CURRENT_LIST_DIR}/connect_intentions_test.cpp)
# ACLs (issue 14): request shapes, 403 texts and token switching against a scripted server.
coconsul_test(client_acl_requests_test ${CMAKE_CURRENT_LIST_DIR}/acl_requests_test.cpp
  ${PROJECT_SOURCE_DIR}/test/http/test_server.cpp)
target_include_directories(client_acl_requests_test PRIVATE ${PROJECT_SOURCE_DIR}/test/http)
# ACLs (issue 14): every ACL call against the dev agent with ACLs on, and token switching seen by the agent.
coconsul_test(client_acl_api_test ${CMAKE_CURRENT_LIST_DIR}/acl_api_test.cpp)
# Login and logout with a jwt auth method (the signer is the dev agent tests' OpenSSL helper).
coconsul_test(client_acl_login_test ${CMAKE_CURRENT_LIST_DIR}/acl_login_test.cpp)
target_include_directories(client_acl_login_test PRIVATE ${PROJECT_SOURCE_DIR}/test/dev_agent)
# Connect registrations (issue 15): sidecars from the model, connect lookups.
coconsul_test(client_connect_services_test ${CMAKE_CURRENT_LIST_DIR}/connect_services_test.cpp)
# Config entries (issue 15): request shapes and Consul's texts against a scripted server.
coconsul_test(client_config_entries_test ${CMAKE_CURRENT_LIST_DIR}/config_entries_test.cpp
  ${PROJECT_SOURCE_DIR}/test/http/test_server.cpp)
target_include_directories(client_config_entries_test PRIVATE ${PROJECT_SOURCE_DIR}/test/http)
# The discovery chain (issue 15): the compiled chain decoded, overrides, blocking.
coconsul_test(client_discovery_chain_test ${CMAKE_CURRENT_LIST_DIR}/discovery_chain_test.cpp)
# Prepared queries (issue 16): prepared_query_api against the dev agent.
coconsul_test(client_prepared_query_test ${CMAKE_CURRENT_LIST_DIR}/prepared_query_test.cpp)
