# Leader election with coconsul::lock (issue 4). ctest runs two candidates against
# `coconsul agent -dev`: the second takes over when the first steps down and exits.
add_executable(leader_election ${CMAKE_CURRENT_LIST_DIR}/leader_election.cpp)
target_link_libraries(leader_election PRIVATE coconsul::coconsul coconsul_warnings)
if(TARGET coconsul_cli AND COCONSUL_BUILD_TESTS)
  add_test(NAME example_leader_election
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run_leader_election.sh
                   $<TARGET_FILE:coconsul_cli> $<TARGET_FILE:leader_election>)
  set_tests_properties(example_leader_election PROPERTIES TIMEOUT 60 LABELS example)
endif()
