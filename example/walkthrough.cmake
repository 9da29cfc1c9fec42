# The walkthrough (issue 6): an echo server kept registered by coconsul::service_host, a client
# that finds it through a balancer over watch_service, and a gateway over many replicas.
# ctest runs the walkthrough scenario with fast reaper settings (scripts/demo.sh runs it at
# Consul's real defaults) and the gateway while replicas die, restart and join.
foreach(program echo_server echo_client gateway)
  add_executable(${program} ${CMAKE_CURRENT_LIST_DIR}/${program}.cpp)
  target_link_libraries(${program} PRIVATE coconsul::coconsul coconsul_warnings)
endforeach()
if(TARGET coconsul_cli AND COCONSUL_BUILD_TESTS)
  add_test(NAME example_walkthrough
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run_walkthrough.sh --fast
                   $<TARGET_FILE:coconsul_cli> $<TARGET_FILE:echo_server> $<TARGET_FILE:echo_client>)
  set_tests_properties(example_walkthrough PROPERTIES TIMEOUT 120 LABELS example)
  add_test(NAME example_walkthrough_ttl
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run_walkthrough.sh --fast --ttl 500ms
                   $<TARGET_FILE:coconsul_cli> $<TARGET_FILE:echo_server> $<TARGET_FILE:echo_client>)
  set_tests_properties(example_walkthrough_ttl PROPERTIES TIMEOUT 120 LABELS example)
  add_test(NAME example_gateway
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run_gateway.sh
                   $<TARGET_FILE:coconsul_cli> $<TARGET_FILE:echo_server> $<TARGET_FILE:gateway>)
  set_tests_properties(example_gateway PROPERTIES TIMEOUT 120 LABELS example)
endif()
