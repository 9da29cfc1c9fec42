#pragma once
// Internal: how a coconsul operation's template front meets its compiled body. The body
// completes a type-erased handler with (error_code, diagnostics, T); async_call adapts the
// caller's token to that. Users read include/coconsul/async.hpp instead.

#include <coconsul/error.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associator.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <tuple>
#include <type_traits>
#include <utility>

namespace coconsul {

struct use_awaitable_t;
template <class Token>
struct pass_diagnostics_t;

namespace detail {

// The internal completion of an operation returning T (or nothing, for T = void).
template <class T>
struct signatures {
  using internal = void(error_code, diagnostics, T);
  using plain = void(error_code, T);
  using throwing = void(std::exception_ptr, T);
};
template <>
struct signatures<void> {
  using internal = void(error_code, diagnostics);
  using plain = void(error_code);
  using throwing = void(std::exception_ptr);
};

template <class T>
using completion_handler = boost::asio::any_completion_handler<typename signatures<T>::internal>;

// Adapts a handler with another signature to the internal one, keeping its associated
// executor, allocator and cancellation slot (via the associator below).
template <class Handler, class Convert>
struct adapted_handler {
  Handler handler;
  Convert convert;

  template <class... Value>
  void operator()(error_code ec, diagnostics diag, Value&&... value) {
    convert(std::move(handler), ec, std::move(diag), std::forward<Value>(value)...);
  }
};

struct to_exception {
  template <class Handler, class... Value>
  void operator()(Handler&& h, error_code ec, diagnostics diag, Value&&... value) const {
    std::exception_ptr e;
    if (ec) e = std::make_exception_ptr(error(ec, std::move(diag)));
    std::move(h)(e, std::forward<Value>(value)...);
  }
};

struct drop_diagnostics {
  template <class Handler, class... Value>
  void operator()(Handler&& h, error_code ec, diagnostics, Value&&... value) const {
    std::move(h)(ec, std::forward<Value>(value)...);
  }
};

template <class>
struct is_pass_diagnostics : std::false_type {};
template <class Token>
struct is_pass_diagnostics<pass_diagnostics_t<Token>> : std::true_type {};

// Starts an operation whose compiled body is `start(completion_handler<T>)`.
template <class T, class Token, class Start>
auto async_call(Token&& token, Start start) {
  using token_type = std::decay_t<Token>;
  if constexpr (std::is_same_v<token_type, use_awaitable_t>) {
    auto init = [](auto handler, Start s) {
      using H = decltype(handler);
      s(completion_handler<T>(adapted_handler<H, to_exception>{std::move(handler), {}}));
    };
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, typename signatures<T>::throwing>(
        std::move(init), boost::asio::use_awaitable, std::move(start));
  } else if constexpr (is_pass_diagnostics<token_type>::value) {
    // The inner token by value (moved from a temporary, copied from a named one such as
    // detail::no_throw): async_initiate wants a token it may modify.
    auto inner = std::forward<Token>(token).token;
    auto init = [](auto handler, Start s) { s(completion_handler<T>(std::move(handler))); };
    return boost::asio::async_initiate<decltype(inner), typename signatures<T>::internal>(
        std::move(init), inner, std::move(start));
  } else {
    auto init = [](auto handler, Start s) {
      using H = decltype(handler);
      s(completion_handler<T>(adapted_handler<H, drop_diagnostics>{std::move(handler), {}}));
    };
    return boost::asio::async_initiate<Token, typename signatures<T>::plain>(std::move(init), token,
                                                                             std::move(start));
  }
}

// An operation's compiled body with its arguments bound: `start(state, args..., handler)`.
// A named type, not a lambda: g++ 12 destroys a closure with non-trivial captures twice when
// it travels into Asio's use_awaitable initiation coroutine.
template <class T, class Start, class State, class... Args>
struct bound_operation {
  Start start;
  State state;
  std::tuple<Args...> args;

  void operator()(completion_handler<T> h) {
    std::apply([&](Args&... a) { start(*state, std::move(a)..., std::move(h)); }, args);
  }
};

// The usual front of an operation.
template <class T, class Token, class State, class Start, class... Args>
auto launch(Token&& token, Start start, State state, Args... args) {
  return async_call<T>(std::forward<Token>(token),
                       bound_operation<T, Start, State, Args...>{start, std::move(state), {std::move(args)...}});
}

}  // namespace detail
}  // namespace coconsul

// Associated executor, allocator and cancellation slot pass through the adapter.
template <template <class, class> class Associator, class Handler, class Convert, class DefaultCandidate>
struct boost::asio::associator<Associator, coconsul::detail::adapted_handler<Handler, Convert>, DefaultCandidate>
    : Associator<Handler, DefaultCandidate> {
  static typename Associator<Handler, DefaultCandidate>::type get(
      const coconsul::detail::adapted_handler<Handler, Convert>& h) noexcept {
    return Associator<Handler, DefaultCandidate>::get(h.handler);
  }
  static auto get(const coconsul::detail::adapted_handler<Handler, Convert>& h, const DefaultCandidate& c) noexcept
      -> decltype(Associator<Handler, DefaultCandidate>::get(h.handler, c)) {
    return Associator<Handler, DefaultCandidate>::get(h.handler, c);
  }
};
