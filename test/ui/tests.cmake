# The dev agent's web UI in a real browser: Debian's headless Chromium, driven over the DevTools
# protocol (test/ui/cdp.py). Screenshots land in the build dir (ui-services.png, ...).
find_program(COCONSUL_CHROMIUM NAMES chromium chromium-browser)
if(TARGET coconsul_cli AND EXISTS /usr/bin/python3 AND COCONSUL_CHROMIUM)
  add_test(NAME ui_browser_test
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/ui_browser_check.py $<TARGET_FILE:coconsul_cli>
                   ${COCONSUL_CHROMIUM} ${CMAKE_BINARY_DIR})
  set_tests_properties(ui_browser_test PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77)
endif()
if(TARGET coconsul_dev_agent_test_client)
  coconsul_test(ui_routes_test ${CMAKE_CURRENT_LIST_DIR}/ui_routes_test.cpp)
  target_link_libraries(ui_routes_test PRIVATE coconsul_dev_agent_test_client)
endif()
