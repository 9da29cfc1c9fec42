# The dev agent's blocking-query benchmark (issue 3): 10,000 waiting queries on one thread.
if(TARGET coconsul)
  add_executable(dev_agent_blocking_bench ${CMAKE_CURRENT_LIST_DIR}/dev_agent_blocking_bench.cpp)
  target_link_libraries(dev_agent_blocking_bench PRIVATE coconsul_internal coconsul_warnings)
endif()
