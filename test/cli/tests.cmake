# The coconsul tool's client commands, run as processes against a `coconsul agent -dev` process.
if(TARGET coconsul_cli AND EXISTS /usr/bin/python3)
  add_test(NAME cli_commands_test
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/cli_commands_check.py $<TARGET_FILE:coconsul_cli>)
  set_tests_properties(cli_commands_test PROPERTIES TIMEOUT 180)
endif()
# The agent verbs (issue 13): members, info, maint, monitor, join, leave, force-leave, reload, services register.
if(TARGET coconsul_cli AND EXISTS /usr/bin/python3)
  add_test(NAME cli_agent_verbs_test
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/agent_verbs_check.py $<TARGET_FILE:coconsul_cli>)
  set_tests_properties(cli_agent_verbs_test PROPERTIES TIMEOUT 120)
endif()
