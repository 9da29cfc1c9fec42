# Compiles every ```cpp block of each docs/*.md that says `<!-- snippets: compiled -->`
# (cmake/extract_snippets.cmake): a doc example that stops compiling breaks the build.
# - A page with test/docs/<page>_example_test.cpp is linked into that test instead, which runs
#   the page's own code (its "// file scope" functions) and checks what it returns.
# - A page whose blocks include a repository header ("http/transport.hpp") documents an
#   internal layer and is compiled with src/ on the include path; the others see only the
#   installed headers, as a user does.
file(GLOB _docs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
set(_public_snippets)
set(_internal_snippets)
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
  set(_runner ${CMAKE_CURRENT_LIST_DIR}/${stem}_example_test.cpp)
  file(STRINGS ${md} _internal REGEX "^#include \"")
  if(EXISTS ${_runner})
    coconsul_test(docs_${stem}_example ${_runner} ${out})
    target_include_directories(docs_${stem}_example PRIVATE ${CMAKE_CURRENT_LIST_DIR})
  elseif(_internal)
    list(APPEND _internal_snippets ${out})
  else()
    list(APPEND _public_snippets ${out})
  endif()
endforeach()
# The compile-only snippets check what the Release build already checks; the sanitized build
# (which runs code, and only runs what is linked into a test) leaves them out to save its time.
if(COCONSUL_SANITIZE)
  set(_public_snippets)
  set(_internal_snippets)
endif()
if(_public_snippets)
  add_library(doc_snippets OBJECT ${_public_snippets})
  target_link_libraries(doc_snippets PRIVATE coconsul coconsul_warnings)
  target_include_directories(doc_snippets PRIVATE ${CMAKE_CURRENT_LIST_DIR})
endif()
if(_internal_snippets)
  add_library(doc_snippets_internal OBJECT ${_internal_snippets})
  target_link_libraries(doc_snippets_internal PRIVATE coconsul_internal coconsul_warnings)
  target_include_directories(doc_snippets_internal PRIVATE ${CMAKE_CURRENT_LIST_DIR})
endif()
include(${CMAKE_CURRENT_LIST_DIR}/readme.cmake)
