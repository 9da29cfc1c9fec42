# The web UI's files, compiled into the dev agent (included by src/CMakeLists.txt after the
# layers' object libraries exist). Add a file here and under web/ to serve it at /ui/<path>.
set(COCONSUL_UI_ASSETS index.html assets/app.js assets/style.css assets/favicon.svg)
set(COCONSUL_UI_BASE ${CMAKE_CURRENT_SOURCE_DIR}/dev_agent/ui)
list(TRANSFORM COCONSUL_UI_ASSETS PREPEND ${COCONSUL_UI_BASE}/web/ OUTPUT_VARIABLE COCONSUL_UI_ASSET_PATHS)
set(COCONSUL_UI_GENERATED ${CMAKE_CURRENT_BINARY_DIR}/dev_agent/ui_assets.cpp)
add_custom_command(
  OUTPUT ${COCONSUL_UI_GENERATED}
  COMMAND ${CMAKE_COMMAND} -DOUTPUT=${COCONSUL_UI_GENERATED} -DBASE=${COCONSUL_UI_BASE}/web
          "-DFILES=${COCONSUL_UI_ASSETS}" -P ${PROJECT_SOURCE_DIR}/cmake/embed_assets.cmake
  DEPENDS ${COCONSUL_UI_ASSET_PATHS} ${PROJECT_SOURCE_DIR}/cmake/embed_assets.cmake
  COMMENT "Embedding the dev agent's web UI"
  VERBATIM)
target_sources(coconsul_dev_agent PRIVATE ${COCONSUL_UI_GENERATED})
