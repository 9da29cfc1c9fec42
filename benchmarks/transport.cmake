# The transport's request rate against the test server of test/http/, with a raw-socket baseline
# (numbers in docs/transport.md). ctest runs it small: it exits non-zero if any request fails.
if(TARGET coconsul)
  add_executable(transport_bench ${CMAKE_CURRENT_LIST_DIR}/transport_bench.cpp
                                 ${PROJECT_SOURCE_DIR}/test/http/test_server.cpp)
  target_include_directories(transport_bench PRIVATE ${PROJECT_SOURCE_DIR}/test/http)
  target_link_libraries(transport_bench PRIVATE coconsul_internal coconsul_warnings)
  if(COCONSUL_BUILD_TESTS)
    add_test(NAME transport_bench_smoke COMMAND transport_bench 500)
    set_tests_properties(transport_bench_smoke PROPERTIES TIMEOUT 60 LABELS benchmark)
  endif()
endif()
