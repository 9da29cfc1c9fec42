# KV get round trips per second, coconsul beside raw Beast with the same request bytes (issue 4).
# ctest runs it small and checks the shape of its last line; the numbers are in docs/client.md.
if(TARGET coconsul)
  add_executable(bench_kv_get ${CMAKE_CURRENT_LIST_DIR}/bench_kv_get.cpp)
  target_link_libraries(bench_kv_get PRIVATE coconsul_internal coconsul_warnings)
  if(COCONSUL_BUILD_TESTS)
    add_test(NAME bench_kv_get_smoke
             COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/bench_kv_get_check.sh $<TARGET_FILE:bench_kv_get>)
    set_tests_properties(bench_kv_get_smoke PROPERTIES TIMEOUT 60 LABELS benchmark)
  endif()
endif()
