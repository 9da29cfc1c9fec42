# Third-party Consul clients against `coconsul agent -dev` (issue 3): if clients written for real
# Consul work unchanged, the wire format is right. Exit code 77 (client not installed) is a skip.
if(TARGET coconsul_cli)
  if(EXISTS /usr/bin/python3)
    add_test(NAME thirdparty_python_consul2
             COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/python_consul2_check.py $<TARGET_FILE:coconsul_cli>)
    set_tests_properties(thirdparty_python_consul2 PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77)
    add_test(NAME thirdparty_python_consul2_connect
             COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/python_consul2_connect_check.py $<TARGET_FILE:coconsul_cli>)
    set_tests_properties(thirdparty_python_consul2_connect PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77)
  endif()
  find_program(COCONSUL_NODE node)
  if(COCONSUL_NODE)
    add_test(NAME thirdparty_npm_consul
             COMMAND ${COCONSUL_NODE} ${CMAKE_CURRENT_LIST_DIR}/node/consul_npm_check.js $<TARGET_FILE:coconsul_cli>)
    set_tests_properties(thirdparty_npm_consul PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77)
  endif()
endif()
# The agent control calls (issue 13): join, force-leave, members, maintenance.
if(TARGET coconsul_cli)
  if(EXISTS /usr/bin/python3)
    add_test(NAME thirdparty_python_consul2_agent_ops
             COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/agent_ops_check.py $<TARGET_FILE:coconsul_cli>)
    set_tests_properties(thirdparty_python_consul2_agent_ops PROPERTIES TIMEOUT 60 SKIP_RETURN_CODE 77)
  endif()
  if(COCONSUL_NODE)
    add_test(NAME thirdparty_npm_consul_agent_ops
             COMMAND ${COCONSUL_NODE} ${CMAKE_CURRENT_LIST_DIR}/node/agent_ops_check.js $<TARGET_FILE:coconsul_cli>)
    set_tests_properties(thirdparty_npm_consul_agent_ops PROPERTIES TIMEOUT 60 SKIP_RETURN_CODE 77)
  endif()
endif()
# The ACL calls (issue 14), with ACLs on and default deny.
if(TARGET coconsul_cli AND EXISTS /usr/bin/python3)
  add_test(NAME thirdparty_python_consul2_acl
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/python_consul2_acl_check.py $<TARGET_FILE:coconsul_cli>)
  set_tests_properties(thirdparty_python_consul2_acl PROPERTIES TIMEOUT 60 SKIP_RETURN_CODE 77)
endif()
