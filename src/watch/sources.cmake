# Sources of this layer (see src/CMakeLists.txt).
set(COCONSUL_SOURCES blocking_policy.cpp registry.cpp service_watch.cpp value_watch.cpp connect_watch.cpp)
