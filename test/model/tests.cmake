# The data model and its JSON conversions: no network.
coconsul_test(model_test
  ${CMAKE_CURRENT_LIST_DIR}/samples_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/codec_test.cpp)
# The ACL model types (issue 14): Consul's documented payloads, round trips, request bodies.
coconsul_test(model_acl_test ${CMAKE_CURRENT_LIST_DIR}/acl_model_test.cpp)
# Connect's proxy and sidecar model types (issue 15): documented payloads, omission rules.
coconsul_test(model_proxy_test ${CMAKE_CURRENT_LIST_DIR}/proxy_test.cpp)
# Config entries of every kind (issue 15): Consul's documented JSON, round trips, unknown kinds.
coconsul_test(model_config_entry_test ${CMAKE_CURRENT_LIST_DIR}/config_entry_test.cpp)
