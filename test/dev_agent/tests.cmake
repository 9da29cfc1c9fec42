# The dev agent's tests (issue 3).
if(TARGET coconsul_dev_agent)
  coconsul_test(dev_agent_unit_test ${CMAKE_CURRENT_LIST_DIR}/dev_agent_unit_test.cpp)
  coconsul_test(dev_agent_url_test ${CMAKE_CURRENT_LIST_DIR}/dev_agent_url_test.cpp)
  add_library(coconsul_dev_agent_test_client STATIC ${CMAKE_CURRENT_LIST_DIR}/agent_client.cpp)
  target_link_libraries(coconsul_dev_agent_test_client PUBLIC coconsul_internal PRIVATE coconsul_warnings)
  target_include_directories(coconsul_dev_agent_test_client PUBLIC ${CMAKE_CURRENT_LIST_DIR})
  foreach(t dev_agent_http_test dev_agent_kv_session_test dev_agent_blocking_test dev_agent_checks_test
          dev_agent_filter_test dev_agent_limits_test dev_agent_cache_test
          dev_agent_startup_test dev_agent_noop_write_test dev_agent_self_test)
    coconsul_test(${t} ${CMAKE_CURRENT_LIST_DIR}/${t}.cpp)
    target_link_libraries(${t} PRIVATE coconsul_dev_agent_test_client)
  endforeach()
  target_sources(dev_agent_checks_test PRIVATE ${CMAKE_CURRENT_LIST_DIR}/tls_endpoint.cpp)
  coconsul_test(dev_agent_input_test ${CMAKE_CURRENT_LIST_DIR}/dev_agent_input_test.cpp)
  target_link_libraries(dev_agent_input_test PRIVATE coconsul_dev_agent_test_client)
endif()
if(TARGET coconsul_cli AND EXISTS /usr/bin/python3)
  add_test(NAME dev_agent_cli_test
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/cli_check.py $<TARGET_FILE:coconsul_cli>)
  set_tests_properties(dev_agent_cli_test PROPERTIES TIMEOUT 60)
endif()
