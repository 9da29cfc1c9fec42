# Unit tests: no network, no sockets.
coconsul_test(core_test ${CMAKE_CURRENT_LIST_DIR}/core_test.cpp)
