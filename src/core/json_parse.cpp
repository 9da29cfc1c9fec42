// json_parser (json_parse.hpp): boost::json::basic_parser driven by a handler that builds the
// value through value_stack exactly as Boost.JSON's own parser does, except for doubles.

#include "core/json_parse.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>
#include <boost/system/system_error.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <system_error>

namespace coconsul::core {
namespace json = boost::json;

namespace {

struct precise_handler {
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack st;
  // A number's text split across write_some calls arrives in pieces (on_number_part) before
  // its last piece (on_int64/on_uint64/on_double); only the split case needs a copy.
  std::string number;
  // The first literal past DBL_MAX (json_parser::overflowed()).
  std::optional<std::string> overflow;

  // `temp`: where the value's pieces are gathered before they are allocated, if not null.
  precise_handler(json::storage_ptr sp, unsigned char* temp, std::size_t size) : st(std::move(sp), temp, size) {}

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return true; }
  bool on_object_end(std::size_t n, json::error_code&) {
    st.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t n, json::error_code&) {
    st.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    st.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    st.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    number.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    number.clear();
    st.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    number.clear();
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view s, json::error_code&) {
    std::string_view text(s.data(), s.size());
    if (!number.empty()) {
      number.append(s.data(), s.size());
      text = number;
    }
    // JSON's number grammar is a subset of from_chars' general format, so the whole text is
    // read. Out of range, from_chars leaves `exact` alone: the literal is past DBL_MAX (an
    // infinity, as Boost.JSON reads it) or rounds to zero; Boost's own estimate, however far
    // off, tells the two apart.
    double exact = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), exact);
    if (r.ec == std::errc::result_out_of_range) {
      const bool huge = std::fabs(d) >= 1;
      d = std::copysign(huge ? std::numeric_limits<double>::infinity() : 0.0, d);
      if (huge && !overflow) overflow.emplace(text);
    } else if (r.ec == std::errc() && r.ptr == text.data() + text.size())
      d = exact;
    number.clear();
    st.push_double(d);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

struct json_parser::impl {
  impl(const json::parse_options& opt, json::storage_ptr sp) : p(opt, std::move(sp), nullptr, 0) {}
  json::basic_parser<precise_handler> p;
};

json_parser::json_parser(const json::parse_options& opt, json::storage_ptr sp)
    : impl_(std::make_unique<impl>(opt, json::storage_ptr())) {
  reset(std::move(sp));
}
json_parser::~json_parser() = default;
json_parser::json_parser(json_parser&&) noexcept = default;
json_parser& json_parser::operator=(json_parser&&) noexcept = default;

void json_parser::reset(json::storage_ptr sp) noexcept {
  impl_->p.reset();
  impl_->p.handler().number.clear();
  impl_->p.handler().overflow.reset();
  impl_->p.handler().st.reset(std::move(sp));
}

namespace {
// Boost.JSON 1.81's write_some returns a count taken from a pointer outside the buffer when the
// input ends inside a comment (seen by fuzz_json_parse). The parser stops early only at the end
// of a value or at an error, and asks for more only when it has used every byte.
std::size_t bytes_used(std::size_t reported, std::size_t size, bool more, bool done, const json::error_code& ec) {
  if (more && !ec && !done) return size;
  return reported < size ? reported : size;
}
}  // namespace

std::size_t json_parser::write_some(std::string_view in, json::error_code& ec) {
  const std::size_t n = impl_->p.write_some(true, in.data(), in.size(), ec);
  return bytes_used(n, in.size(), true, done(), ec);
}

std::size_t json_parser::write_last(std::string_view in, json::error_code& ec) {
  const std::size_t n = impl_->p.write_some(false, in.data(), in.size(), ec);
  return bytes_used(n, in.size(), false, done(), ec);
}

bool json_parser::done() const noexcept { return impl_->p.done(); }

const std::optional<std::string>& json_parser::overflowed() const noexcept { return impl_->p.handler().overflow; }

json::value json_parser::release() { return impl_->p.handler().st.release(); }

json::value parse_json(std::string_view text, json::error_code& ec, const json::parse_options& opt,
                       json::storage_ptr sp) {
  // A buffer on the stack for the value's pieces, as boost::json::parse has.
  unsigned char temp[BOOST_JSON_STACK_BUFFER_SIZE];
  json::basic_parser<precise_handler> p(opt, json::storage_ptr(), temp, sizeof temp);
  p.handler().st.reset(std::move(sp));
  // more=false: the text is the whole document, as boost::json::parser::write takes it.
  const std::size_t used = bytes_used(p.write_some(false, text.data(), text.size(), ec), text.size(), false, p.done(), ec);
  if (!ec && used < text.size()) ec = json::error::extra_data;
  if (ec) return nullptr;
  return p.handler().st.release();
}

json::value parse_json(std::string_view text, const json::parse_options& opt) {
  json::error_code ec;
  json::value v = parse_json(text, ec, opt);
  if (ec) throw boost::system::system_error(ec);
  return v;
}

}  // namespace coconsul::core
