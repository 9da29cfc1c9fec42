# Transport tests: the pool against a scriptable in-process server on 127.0.0.1 (TCP, unix
# socket, TLS with certificates made by the openssl command line), and HTTP framing without I/O.
coconsul_test(http_pool_test
  ${CMAKE_CURRENT_LIST_DIR}/pool_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pool_limits_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pool_transports_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_server.cpp)
coconsul_test(http_wire_test ${CMAKE_CURRENT_LIST_DIR}/wire_test.cpp)
