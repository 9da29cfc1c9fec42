#pragma once
// Internal: the compiled bodies behind coconsul::lock and renew_session (src/client/lock.cpp).

#include <coconsul/detail/async.hpp>
#include <coconsul/query.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace coconsul {

class client;

namespace detail {
struct lock_state;
struct client_state;

void lock_acquire(lock_state&, completion_handler<void>);
void lock_wait_lost(lock_state&, completion_handler<std::string>);
void lock_release(lock_state&, completion_handler<void>);
void session_renew_loop(client_state&, std::string, std::chrono::seconds, write_options, completion_handler<std::string>);
std::shared_ptr<client_state> state_of(const client&);

}  // namespace detail
}  // namespace coconsul
