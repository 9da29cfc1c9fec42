# bench_balancer_pick: picks per second of each balancer policy over 100 endpoints, through
# pick() and, as the baseline, the policy alone. ctest runs it small and checks its last line;
# the numbers are in docs/balancer.md.
if(TARGET coconsul)
  add_executable(bench_balancer_pick ${CMAKE_CURRENT_LIST_DIR}/bench_balancer_pick.cpp)
  target_link_libraries(bench_balancer_pick PRIVATE coconsul_internal coconsul_warnings)
  if(COCONSUL_BUILD_TESTS)
    add_test(NAME bench_balancer_pick_smoke COMMAND bench_balancer_pick --endpoints 100 --picks 2000)
    set_tests_properties(bench_balancer_pick_smoke PROPERTIES
      LABELS benchmark TIMEOUT 60
      PASS_REGULAR_EXPRESSION "balancer_pick: endpoints=100 picks=2000 round_robin_per_s=[0-9]+ random_per_s=[0-9]+ power_of_two_per_s=[0-9]+\n$")
  endif()
endif()
