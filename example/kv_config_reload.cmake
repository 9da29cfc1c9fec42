# A configuration under a KV prefix, printed each time it changes (issue 4). ctest runs it
# against `coconsul agent -dev` and writes keys so that it reloads.
add_executable(kv_config_reload ${CMAKE_CURRENT_LIST_DIR}/kv_config_reload.cpp)
target_link_libraries(kv_config_reload PRIVATE coconsul::coconsul coconsul_warnings)
if(TARGET coconsul_cli AND COCONSUL_BUILD_TESTS)
  add_test(NAME example_kv_config_reload
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run_kv_config_reload.sh
                   $<TARGET_FILE:coconsul_cli> $<TARGET_FILE:kv_config_reload>)
  set_tests_properties(example_kv_config_reload PROPERTIES TIMEOUT 60 LABELS example)
endif()
# The same example with a least-privilege token, ACLs on and default deny (issue 14).
if(TARGET coconsul_cli AND COCONSUL_BUILD_TESTS)
  add_test(NAME example_kv_config_least_privilege
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run_kv_config_least_privilege.sh
                   $<TARGET_FILE:coconsul_cli> $<TARGET_FILE:kv_config_reload>)
  set_tests_properties(example_kv_config_least_privilege PROPERTIES TIMEOUT 60 LABELS example)
endif()
