# The balancer (layer 7): policies without I/O, then picks, connects and replicas against the dev agent.
coconsul_test(balancer_policy_test ${CMAKE_CURRENT_LIST_DIR}/balancer_policy_test.cpp)
coconsul_test(balancer_pick_test ${CMAKE_CURRENT_LIST_DIR}/balancer_pick_test.cpp)
coconsul_test(balancer_connect_test ${CMAKE_CURRENT_LIST_DIR}/balancer_connect_test.cpp)
coconsul_test(balancer_replicas_test ${CMAKE_CURRENT_LIST_DIR}/balancer_replicas_test.cpp)
coconsul_test(balancer_hung_test ${CMAKE_CURRENT_LIST_DIR}/balancer_hung_test.cpp)
