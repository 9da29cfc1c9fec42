# README.md's first ```cpp block, compiled as the whole program it is and run by ctest against a
# `coconsul agent -dev` process (run_readme_quick_start.sh): the quick start must build and
# print what the README says it prints.
set(_readme_cpp ${CMAKE_CURRENT_BINARY_DIR}/doc_snippets/readme_quick_start.cpp)
add_custom_command(OUTPUT ${_readme_cpp}
  COMMAND ${CMAKE_COMMAND} -DMD=${PROJECT_SOURCE_DIR}/README.md -DOUT=${_readme_cpp} -DWHOLE_PROGRAM=ON
          -P ${PROJECT_SOURCE_DIR}/cmake/extract_snippets.cmake
  DEPENDS ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/cmake/extract_snippets.cmake
  COMMENT "Extracting README.md's quick start")
add_executable(readme_quick_start ${_readme_cpp})
target_link_libraries(readme_quick_start PRIVATE coconsul coconsul_warnings)
if(TARGET coconsul_cli)
  add_test(NAME docs_readme_quick_start
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run_readme_quick_start.sh
                   $<TARGET_FILE:coconsul_cli> $<TARGET_FILE:readme_quick_start>)
  set_tests_properties(docs_readme_quick_start PROPERTIES TIMEOUT 60 LABELS example)
endif()
