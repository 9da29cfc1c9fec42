# Sources of the dev agent (layer 8; see src/CMakeLists.txt).
set(COCONSUL_SOURCES
  http_types.cpp json_out.cpp json_in.cpp log.cpp uuid.cpp
  state.cpp watch_hub.cpp faults.cpp router.cpp respond.cpp render.cpp decode.cpp filter.cpp
  core.cpp dispatch.cpp agent_local.cpp check_runner.cpp check_http.cpp check_https.cpp check_tcp.cpp reaper.cpp session_ttl.cpp
  endpoints_agent.cpp endpoints_catalog.cpp endpoints_health.cpp endpoints_kv.cpp endpoints_session.cpp
  endpoints_status.cpp endpoints_event.cpp endpoints_txn.cpp
  server.cpp dev_agent.cpp)
