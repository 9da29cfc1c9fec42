# The dev agent's blocking-query benchmark (issue 3): 10,000 waiting queries on one thread.
if(TARGET coconsul)
  add_executable(dev_agent_blocking_bench ${CMAKE_CURRENT_LIST_DIR}/dev_agent_blocking_bench.cpp)
  target_link_libraries(dev_agent_blocking_bench PRIVATE coconsul_internal coconsul_warnings)
endif()
# ctest runs it at a small size: it fails only if a waiting query is not woken. Run it by hand
# at 10,000 for the numbers (docs/dev-agent.md).
if(TARGET dev_agent_blocking_bench)
  add_test(NAME dev_agent_blocking_bench_smoke COMMAND dev_agent_blocking_bench 500)
  set_tests_properties(dev_agent_blocking_bench_smoke PROPERTIES TIMEOUT 120 LABELS benchmark)
endif()
