# Partitioned replicas inside network namespaces the test makes (root with ip netns; skipped
# with a message otherwise).
coconsul_test(partition_test ${CMAKE_CURRENT_LIST_DIR}/partition_test.cpp)
target_include_directories(partition_test PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../balancer)
