# Compiles README.md's first ```cpp block as the whole program it is: the quick start must build.
set(_readme_cpp ${CMAKE_CURRENT_BINARY_DIR}/doc_snippets/readme_quick_start.cpp)
add_custom_command(OUTPUT ${_readme_cpp}
  COMMAND ${CMAKE_COMMAND} -DMD=${PROJECT_SOURCE_DIR}/README.md -DOUT=${_readme_cpp} -DWHOLE_PROGRAM=ON
          -P ${PROJECT_SOURCE_DIR}/cmake/extract_snippets.cmake
  DEPENDS ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/cmake/extract_snippets.cmake
  COMMENT "Extracting README.md's quick start")
add_executable(readme_quick_start ${_readme_cpp})
target_link_libraries(readme_quick_start PRIVATE coconsul coconsul_warnings)
