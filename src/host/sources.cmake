# The service side (layer 6): registration, health endpoint, TTL heartbeats, re-registration.
set(COCONSUL_SOURCES service_host.cpp schedule.cpp registration.cpp health_endpoint.cpp)
