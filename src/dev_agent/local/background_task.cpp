// Spawning and stopping the agent's background coroutines (see background_task.hpp).

#include "dev_agent/local/background_task.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include <exception>

namespace coconsul::dev {
namespace asio = boost::asio;

void background_task::spawn(asio::awaitable<void> body) {
  auto ex = ex_;
  // The coroutine's thread refers to the signal until this handler has returned: release the
  // task through a post, after the thread is gone. Exceptions are ignored, as with detached.
  auto done = [self = shared_from_this(), ex](std::exception_ptr) mutable {
    asio::post(ex, [s = std::move(self)] {});
  };
  asio::co_spawn(ex, std::move(body), asio::bind_cancellation_slot(signal_.slot(), std::move(done)));
}

void background_task::stop() { signal_.emit(asio::cancellation_type::terminal); }

}  // namespace coconsul::dev
