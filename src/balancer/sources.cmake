# The balancer (layer 7): picks, ejections and connects over watch_service.
set(COCONSUL_SOURCES policy.cpp balancer.cpp connect.cpp deadline.cpp)
