# The client against the in-process dev agent.
coconsul_test(client_kv_test ${CMAKE_CURRENT_LIST_DIR}/kv_test.cpp)
coconsul_test(client_api_test ${CMAKE_CURRENT_LIST_DIR}/api_test.cpp)
coconsul_test(client_lock_test ${CMAKE_CURRENT_LIST_DIR}/lock_test.cpp)
