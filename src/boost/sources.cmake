# Asio, Asio's SSL and Beast compiled once for the whole build.
set(COCONSUL_SOURCES asio.cpp asio_ssl.cpp beast.cpp)
