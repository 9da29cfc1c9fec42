# The protocol layer without I/O: request building, percent-encoding, response metadata, and
# the check that it stays below the transport.
coconsul_test(protocol_test
  ${CMAKE_CURRENT_LIST_DIR}/request_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/request_refusals_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/encoding_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/response_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/layering_test.cpp)
add_test(NAME protocol_layering
         COMMAND ${CMAKE_COMMAND} -DDIR=${PROJECT_SOURCE_DIR}/src/protocol -P ${CMAKE_CURRENT_LIST_DIR}/check_layering.cmake)
