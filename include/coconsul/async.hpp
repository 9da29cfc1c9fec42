#pragma once
// Completion tokens for coconsul operations.
//
// Every operation completes with an error code, diagnostics (the HTTP status and Consul's
// message) and its value T (nothing, for operations that return nothing). What the caller
// sees depends on the token:
//   (no token) / coconsul::use_awaitable   co_await returns T; failure throws coconsul::error,
//                                          which carries Consul's message and the HTTP status;
//   coconsul::pass_diagnostics(token)      the signature void(error_code, diagnostics, T),
//                                          never throwing: with as_tuple(use_awaitable),
//                                          co_await gives the three as a tuple;
//   any other Asio token                   the signature void(error_code, T): as_tuple,
//                                          redirect_error, a callback, use_future, deferred.

#include <coconsul/detail/async.hpp>

#include <type_traits>
#include <utility>

namespace coconsul {

// The default token: co_await throws coconsul::error on failure.
struct use_awaitable_t {
  constexpr use_awaitable_t() = default;
};
inline constexpr use_awaitable_t use_awaitable{};

template <class Token>
struct pass_diagnostics_t {
  Token token;
};

// Wraps a token so the completion signature is void(error_code, diagnostics, T): the handler
// receives Consul's message as an argument instead of an exception.
template <class Token>
pass_diagnostics_t<std::decay_t<Token>> pass_diagnostics(Token&& token) {
  return {std::forward<Token>(token)};
}

}  // namespace coconsul
