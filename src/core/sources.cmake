# Shared by every layer: errors, durations, configuration.
set(COCONSUL_SOURCES error.cpp duration.cpp config.cpp)
