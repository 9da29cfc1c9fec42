# mTLS between two echo replicas with certificates from the Connect CA (issue 15): the leaf and
# the roots from watches, the SPIFFE ID checked, the leaf swapped in for new connections when the
# agent renews it. ctest runs it against `coconsul agent -dev` and rotates the CA twice.
add_executable(mtls_echo ${CMAKE_CURRENT_LIST_DIR}/mtls_echo.cpp)
target_link_libraries(mtls_echo PRIVATE coconsul::coconsul coconsul_warnings)
if(TARGET coconsul_cli AND COCONSUL_BUILD_TESTS)
  add_test(NAME example_mtls_echo
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run_mtls_echo.sh $<TARGET_FILE:coconsul_cli> $<TARGET_FILE:mtls_echo>)
  set_tests_properties(example_mtls_echo PROPERTIES TIMEOUT 60 LABELS example)
endif()
