# The service host (layer 6): its registration plan (no I/O), and the host against the
# in-process dev agent.
coconsul_test(host_registration_test ${CMAKE_CURRENT_LIST_DIR}/registration_test.cpp)
coconsul_test(service_host_test ${CMAKE_CURRENT_LIST_DIR}/service_host_test.cpp)
# The keeper's schedule (sans-I/O, fake clock).
coconsul_test(host_schedule_test ${CMAKE_CURRENT_LIST_DIR}/schedule_test.cpp)
coconsul_test(service_host_acl_test ${CMAKE_CURRENT_LIST_DIR}/service_host_acl_test.cpp)
# A service registered with its Connect sidecar (issue 15).
coconsul_test(service_host_sidecar_test ${CMAKE_CURRENT_LIST_DIR}/service_host_sidecar_test.cpp)
