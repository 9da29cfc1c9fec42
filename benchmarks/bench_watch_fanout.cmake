# bench_watch_fanout: one change fanned out to N watchers (issue 5). ctest runs it at a small
# size and checks its last line; run it by hand at 1,000 and 10,000 (docs/watches.md).
add_executable(bench_watch_fanout ${CMAKE_CURRENT_LIST_DIR}/bench_watch_fanout.cpp)
target_link_libraries(bench_watch_fanout PRIVATE coconsul coconsul_warnings)
if(COCONSUL_BUILD_TESTS)
  foreach(services 1 50)
    add_test(NAME bench_watch_fanout_smoke_${services} COMMAND bench_watch_fanout --watchers 50 --services ${services})
    set_tests_properties(bench_watch_fanout_smoke_${services} PROPERTIES
      LABELS benchmark TIMEOUT 120
      PASS_REGULAR_EXPRESSION "watch_fanout: watchers=50 services=${services} fanout_ms=[0-9.]+ rss_kib_per_watcher=-?[0-9.]+ requests=[0-9]+ connections=[0-9]+\n$")
  endforeach()
endif()
