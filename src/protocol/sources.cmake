# Sources of this layer (see src/CMakeLists.txt).
set(COCONSUL_SOURCES)
# JSON <-> model types (include/coconsul/json.hpp, docs/model.md).
list(APPEND COCONSUL_SOURCES json_codec.cpp model_json_agent.cpp model_json_data.cpp)
list(APPEND COCONSUL_SOURCES model_json_connect.cpp)
list(APPEND COCONSUL_SOURCES model_json_proxy.cpp)
list(APPEND COCONSUL_SOURCES model_json_intention.cpp)
list(APPEND COCONSUL_SOURCES model_json_acl.cpp)
list(APPEND COCONSUL_SOURCES message.cpp request.cpp response.cpp)
list(APPEND COCONSUL_SOURCES model_json_config_entry.cpp)
list(APPEND COCONSUL_SOURCES model_json_discovery_chain.cpp)
list(APPEND COCONSUL_SOURCES model_json_prepared_query.cpp)
