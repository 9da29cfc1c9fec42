# The coconsul tool's client commands, run as processes against a `coconsul agent -dev` process.
if(TARGET coconsul_cli AND EXISTS /usr/bin/python3)
  add_test(NAME cli_commands_test
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/cli_commands_check.py $<TARGET_FILE:coconsul_cli>)
  set_tests_properties(cli_commands_test PROPERTIES TIMEOUT 180)
  # `coconsul agent` with Consul's flags and config files (issue 13).
  add_test(NAME agent_cli_test
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/agent_cli_check.py $<TARGET_FILE:coconsul_cli>)
  set_tests_properties(agent_cli_test PROPERTIES TIMEOUT 120)
  # HashiCorp's Go test server's way of starting an agent, with the readiness checks that pass
  # here (the index, leader and CA parts come from other pieces of issue 13).
  add_test(NAME go_testserver_test
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/go_testserver_check.py $<TARGET_FILE:coconsul_cli>
                   --waits api,leader,ca,serf)
  set_tests_properties(go_testserver_test PROPERTIES TIMEOUT 60)
endif()
# The agent verbs (issue 13): members, info, maint, monitor, join, leave, force-leave, reload, services register.
if(TARGET coconsul_cli AND EXISTS /usr/bin/python3)
  add_test(NAME cli_agent_verbs_test
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/agent_verbs_check.py $<TARGET_FILE:coconsul_cli>)
  set_tests_properties(cli_agent_verbs_test PROPERTIES TIMEOUT 120)
endif()
# The acl verbs and the token flags (issue 14): a recording stand-in agent, then `coconsul agent -dev` with ACLs on.
if(TARGET coconsul_cli AND EXISTS /usr/bin/python3)
  add_test(NAME cli_acl_test
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/acl_cli_check.py $<TARGET_FILE:coconsul_cli>)
  set_tests_properties(cli_acl_test PROPERTIES TIMEOUT 120)
endif()
# `connect ca get-config|set-config` (issue 15): against `coconsul agent -dev` processes, Connect on and off, ACLs on.
if(TARGET coconsul_cli AND EXISTS /usr/bin/python3)
  add_test(NAME cli_connect_test
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/connect_cli_check.py $<TARGET_FILE:coconsul_cli>)
  set_tests_properties(cli_connect_test PROPERTIES TIMEOUT 120)
endif()
# The config verbs (issue 15): a recording stand-in agent, then `coconsul agent -dev`.
if(TARGET coconsul_cli AND EXISTS /usr/bin/python3)
  add_test(NAME cli_config_test
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/config_cli_check.py $<TARGET_FILE:coconsul_cli>)
  set_tests_properties(cli_config_test PROPERTIES TIMEOUT 120)
endif()
# The intention verbs (issue 15) against `coconsul agent -dev`.
if(TARGET coconsul_cli AND EXISTS /usr/bin/python3)
  add_test(NAME cli_intention_test
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/intention_cli_check.py $<TARGET_FILE:coconsul_cli>)
  set_tests_properties(cli_intention_test PROPERTIES TIMEOUT 120)
endif()
