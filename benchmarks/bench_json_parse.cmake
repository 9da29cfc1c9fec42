# bench_json_parse: the project's JSON parse (correctly rounded doubles) against
# boost::json::parse on a 5,000-instance health response and as many metrics samples. ctest runs
# it small and checks its last line; the numbers are in docs/architecture.md.
if(TARGET coconsul)
  add_executable(bench_json_parse ${CMAKE_CURRENT_LIST_DIR}/bench_json_parse.cpp)
  target_link_libraries(bench_json_parse PRIVATE coconsul_internal coconsul_warnings)
  if(COCONSUL_BUILD_TESTS)
    add_test(NAME bench_json_parse_smoke COMMAND bench_json_parse --instances 50 --rounds 1)
    set_tests_properties(bench_json_parse_smoke PROPERTIES
      LABELS benchmark TIMEOUT 60
      PASS_REGULAR_EXPRESSION "json_parse: instances=50 health_ratio=[0-9.]+ metrics_ratio=[0-9.]+ \\(sink [0-9]\\)\n$")
  endif()
endif()
