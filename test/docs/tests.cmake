# Compiles every ```cpp block of each docs/*.md that says `<!-- snippets: compiled -->`
# (cmake/extract_snippets.cmake): a doc example that stops compiling breaks the build.
file(GLOB _docs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
set(_snippet_sources)
foreach(md IN LISTS _docs)
  file(STRINGS ${md} _opted_in REGEX "^<!-- snippets: compiled -->$")
  if(NOT _opted_in)
    continue()
  endif()
  get_filename_component(stem ${md} NAME_WE)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/doc_snippets/${stem}.cpp)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DMD=${md} -DOUT=${out} -P ${PROJECT_SOURCE_DIR}/cmake/extract_snippets.cmake
    DEPENDS ${md} ${PROJECT_SOURCE_DIR}/cmake/extract_snippets.cmake
    COMMENT "Extracting the code blocks of docs/${stem}.md")
  list(APPEND _snippet_sources ${out})
endforeach()
if(_snippet_sources)
  add_library(doc_snippets OBJECT ${_snippet_sources})
  target_link_libraries(doc_snippets PRIVATE coconsul coconsul_warnings)
  target_include_directories(doc_snippets PRIVATE ${CMAKE_CURRENT_LIST_DIR})
endif()
include(${CMAKE_CURRENT_LIST_DIR}/readme.cmake)
