# The blocking-query policy (sans-I/O, fake clock).
coconsul_test(blocking_policy_test ${CMAKE_CURRENT_LIST_DIR}/blocking_policy_test.cpp)
coconsul_test(watch_service_test ${CMAKE_CURRENT_LIST_DIR}/watch_service_test.cpp)
coconsul_test(watch_status_test ${CMAKE_CURRENT_LIST_DIR}/watch_status_test.cpp)
coconsul_test(watch_acl_test ${CMAKE_CURRENT_LIST_DIR}/watch_acl_test.cpp)
coconsul_test(connect_watch_test ${CMAKE_CURRENT_LIST_DIR}/connect_watch_test.cpp)
# Config entry watches (issue 15) against the dev agent.
coconsul_test(watch_config_entry_test ${CMAKE_CURRENT_LIST_DIR}/config_entry_watch_test.cpp)
