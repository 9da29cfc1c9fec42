# Shared by every layer: errors, durations, configuration, and the neutral helpers (base64,
# the quoting of bytes in messages) that exist once for the whole code base.
set(COCONSUL_SOURCES error.cpp duration.cpp config.cpp base64.cpp text.cpp)
list(APPEND COCONSUL_SOURCES json_parse.cpp)
