# The client layer: one file per endpoint group.
set(COCONSUL_SOURCES client.cpp agent.cpp agent_membership.cpp agent_monitor.cpp agent_metrics_stream.cpp agent_stream.cpp catalog.cpp health.cpp kv.cpp session.cpp status.cpp event.cpp txn.cpp lock.cpp)
list(APPEND COCONSUL_SOURCES connect.cpp)
list(APPEND COCONSUL_SOURCES connect_intentions.cpp)
list(APPEND COCONSUL_SOURCES acl_system.cpp acl_tokens.cpp acl_policies.cpp acl_auth.cpp acl_denial.cpp token_source.cpp)
list(APPEND COCONSUL_SOURCES config_entries.cpp)
list(APPEND COCONSUL_SOURCES discovery_chain.cpp)
list(APPEND COCONSUL_SOURCES prepared_query.cpp)
