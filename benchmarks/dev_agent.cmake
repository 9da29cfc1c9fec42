# The dev agent's blocking-query benchmark (issue 3): 10,000 waiting queries on one thread.
if(TARGET coconsul)
  add_executable(dev_agent_blocking_bench ${CMAKE_CURRENT_LIST_DIR}/dev_agent_blocking_bench.cpp)
  target_link_libraries(dev_agent_blocking_bench PRIVATE coconsul_internal coconsul_warnings)
endif()
# The requirement it measures (10,000 waiting queries all woken within 1 s) is also checked by
# ctest: the program exits non-zero when it is not met.
if(TARGET dev_agent_blocking_bench)
  add_test(NAME dev_agent_10k_blocking_queries COMMAND dev_agent_blocking_bench 10000)
  set_tests_properties(dev_agent_10k_blocking_queries PROPERTIES TIMEOUT 120 LABELS benchmark)
endif()
