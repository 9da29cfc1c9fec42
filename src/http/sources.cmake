# Sources of this layer (see src/CMakeLists.txt). One stream type per file (BUILD-NOTES).
set(COCONSUL_SOURCES pool.cpp wire.cpp tcp_connection.cpp tls_connection.cpp unix_connection.cpp)
