#pragma once
// The one completion token library code uses when it calls a library operation: `co_await`
// gives (error_code, diagnostics, T) as a tuple and never throws, so a failure stays an error
// code from the wire to the caller. Library code never uses try/catch for control flow.

#include <coconsul/async.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace coconsul::detail {

// Not const: async_call hands the inner token to async_initiate, which wants one it may modify.
inline auto no_throw = with_diagnostics(boost::asio::as_tuple(boost::asio::use_awaitable));

}  // namespace coconsul::detail
