# Unit tests: no network, no sockets. The shared core: errors, durations, configuration and
# agent addresses, base64, the quoting of bytes in messages.
coconsul_test(core_test
  ${CMAKE_CURRENT_LIST_DIR}/core_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/address_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/base64_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/text_test.cpp)
# The one JSON parse (src/core/json_parse.hpp): correctly rounded doubles, Boost.JSON's limits.
coconsul_test(json_parse_test ${CMAKE_CURRENT_LIST_DIR}/json_parse_test.cpp)
add_test(NAME one_json_parse
         COMMAND ${CMAKE_COMMAND} -DDIR=${PROJECT_SOURCE_DIR}/src -P ${CMAKE_CURRENT_LIST_DIR}/check_one_json_parse.cmake)
