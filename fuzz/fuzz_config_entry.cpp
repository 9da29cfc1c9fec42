// libFuzzer target: config entries (include/coconsul/model/config_entry.hpp). Any bytes decode
// as one entry and as a list, or fail with a message; what decodes encodes to JSON that decodes
// again, and encoding is then a fixed point: the same JSON the second time, but for doubles
// (a split's Weight, free JSON in proxy-defaults' Config or an unknown kind), which Boost.JSON
// 1.81 reads to within an ulp or so, not correctly rounded, and so compare to 1e-14 relative.
#include <coconsul/json.hpp>
#include <coconsul/model/config_entry.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cmath>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

[[noreturn]] void fail(const char* what, std::string_view text) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(text.size()), text.data());
  std::abort();
}

namespace json = boost::json;

// Equal JSON, doubles (and a double against an integer) to 1e-14 relative. The parser's own
// depth limit bounds the recursion.
bool same(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number() && (a.is_double() || b.is_double())) {
    const double p = a.to_number<double>(), q = b.to_number<double>();
    return p == q || std::fabs(p - q) <= 1e-14 * std::fmax(std::fabs(p), std::fabs(q));
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto &x = a.get_array(), &y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!same(x[i], y[i])) return false;
    return true;
  }
  if (a.is_object()) {
    const auto &x = a.get_object(), &y = b.get_object();
    if (x.size() != y.size()) return false;
    auto i = x.begin();
    auto j = y.begin();
    for (; i != x.end(); ++i, ++j)  // in order: the encoding's key order is part of it
      if (i->key() != j->key() || !same(i->value(), j->value())) return false;
    return true;
  }
  return a == b;
}

template <class T>
void round_trips(std::string_view input) {
  T value{};
  coconsul::diagnostics diag;
  if (coconsul::decode_json(input, value, diag)) {
    if (diag.message.empty()) fail("a failure without a message", input);
    return;
  }
  for (auto mode : {coconsul::encode_mode::omit_empty, coconsul::encode_mode::all_fields}) {
    const std::string once = coconsul::encode_json(value, mode);
    T again{};
    if (coconsul::decode_json(once, again, diag)) fail("our own encoding does not decode", once);
    const std::string twice = coconsul::encode_json(again, mode);
    if (twice != once && !same(json::parse(once), json::parse(twice)))
      fail("encoding is not a fixed point", once + "\n" + twice);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  round_trips<coconsul::config_entry>(input);
  round_trips<std::vector<coconsul::config_entry>>(input);
  return 0;
}
