# The protocol layer without I/O: request building, percent-encoding, response metadata.
coconsul_test(protocol_test
  ${CMAKE_CURRENT_LIST_DIR}/request_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/request_refusals_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/encoding_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/response_test.cpp)
