#pragma once
// How a model struct appears on the wire: each member paired with its exact Consul JSON name.
//
// Consul's names are Go's PascalCase with initialisms kept (ID, ServiceID, TTL, HTTP,
// TLSSkipVerify, GRPC), so they cannot be derived from our snake_case names. Each struct
// therefore spells every wire name out, next to its member, in one macro:
//
//   struct weights { int passing = 1; int warning = 1; };
//   COCONSUL_WIRE_STRUCT(weights, (passing, "Passing"), (warning, "Warning"))
//
// The macro describes the struct with Boost.Describe (BOOST_DESCRIBE_STRUCT, members in the
// listed order) and defines coconsul_wire_fields(T const*), found by argument-dependent lookup,
// returning the names in the same order. A third element picks a non-default wire format:
//   (value, "Value", base64)           bytes as base64 text (Go's []byte)
//   (lock_delay, "LockDelay", nanoseconds)  a duration written as integer nanoseconds
// Use it at namespace scope, in the struct's namespace.

#include <boost/describe/class.hpp>
#include <boost/preprocessor/comparison/equal.hpp>
#include <boost/preprocessor/control/iif.hpp>
#include <boost/preprocessor/seq/for_each.hpp>
#include <boost/preprocessor/seq/to_tuple.hpp>
#include <boost/preprocessor/tuple/elem.hpp>
#include <boost/preprocessor/tuple/size.hpp>
#include <boost/preprocessor/variadic/size.hpp>
#include <boost/preprocessor/variadic/to_seq.hpp>

#include <array>
#include <cstddef>
#include <string_view>

namespace coconsul {

// The JSON representation of a member, when its C++ type alone does not say it.
enum class wire_format : unsigned char {
  plain,        // by type: strings, numbers, lists, maps, structs, durations as Go strings
  base64,       // std::string holding bytes, sent as base64 (Go's []byte): KV values, payloads
  nanoseconds,  // std::chrono::nanoseconds as an integer, as Consul writes Session.LockDelay
};

struct wire_field {
  std::string_view name;  // exact JSON key
  wire_format format = wire_format::plain;
};

namespace detail {
// A table is well formed when no name is empty and no two names are equal.
template <std::size_t N>
constexpr bool wire_names_valid(const std::array<wire_field, N>& fields) {
  for (std::size_t i = 0; i < N; ++i) {
    if (fields[i].name.empty()) return false;
    for (std::size_t j = i + 1; j < N; ++j)
      if (fields[i].name == fields[j].name) return false;
  }
  return true;
}
}  // namespace detail

}  // namespace coconsul

#define COCONSUL_WIRE_DETAIL_MEMBER(r, data, field) (BOOST_PP_TUPLE_ELEM(0, field))
#define COCONSUL_WIRE_DETAIL_FORMAT2(field) ::coconsul::wire_format::plain
#define COCONSUL_WIRE_DETAIL_FORMAT3(field) ::coconsul::wire_format::BOOST_PP_TUPLE_ELEM(2, field)
#define COCONSUL_WIRE_DETAIL_FIELD(r, data, field)                                              \
  ::coconsul::wire_field{BOOST_PP_TUPLE_ELEM(1, field),                                         \
                         BOOST_PP_IIF(BOOST_PP_EQUAL(BOOST_PP_TUPLE_SIZE(field), 3),            \
                                      COCONSUL_WIRE_DETAIL_FORMAT3,                             \
                                      COCONSUL_WIRE_DETAIL_FORMAT2)(field)},
#define COCONSUL_WIRE_DETAIL_STRUCT(T, count, fields)                                           \
  BOOST_DESCRIBE_STRUCT(T, (),                                                                  \
                        BOOST_PP_SEQ_TO_TUPLE(                                                  \
                            BOOST_PP_SEQ_FOR_EACH(COCONSUL_WIRE_DETAIL_MEMBER, ~, fields)))     \
  [[maybe_unused]] constexpr std::array<::coconsul::wire_field, count> coconsul_wire_fields(   \
      T const*) noexcept {                                                                      \
    return {{BOOST_PP_SEQ_FOR_EACH(COCONSUL_WIRE_DETAIL_FIELD, ~, fields)}};                    \
  }                                                                                             \
  static_assert(::coconsul::detail::wire_names_valid(coconsul_wire_fields(                      \
                    static_cast<T const*>(nullptr))),                                           \
                "COCONSUL_WIRE_STRUCT(" #T "): empty or repeated wire name");

// COCONSUL_WIRE_STRUCT(type, (member, "WireName"[, format])...)
#define COCONSUL_WIRE_STRUCT(T, ...)                                                            \
  COCONSUL_WIRE_DETAIL_STRUCT(T, BOOST_PP_VARIADIC_SIZE(__VA_ARGS__),                           \
                              BOOST_PP_VARIADIC_TO_SEQ(__VA_ARGS__))
