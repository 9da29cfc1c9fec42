#pragma once
// The one JSON parse of the whole project: Boost.JSON's parser with every double converted
// from its source text, correctly rounded (Go's encoding/json does; Boost.JSON 1.81 does not).

#include <boost/json/parse_options.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace coconsul::core {

// Builds a boost::json::value as boost::json::stream_parser does (same options, limits and
// errors), but a number with a fraction or an exponent, or an integer past uint64, holds the
// double nearest its text (std::from_chars). A literal past a double's range is an infinity,
// one nearer zero than half the smallest subnormal is 0 (signed), as boost::json::parse reads them.
class json_parser {
 public:
  explicit json_parser(const boost::json::parse_options& opt = {}, boost::json::storage_ptr sp = {});
  ~json_parser();
  json_parser(json_parser&&) noexcept;
  json_parser& operator=(json_parser&&) noexcept;

  // Forgets any partial document; the next value is built in `sp`.
  void reset(boost::json::storage_ptr sp = {}) noexcept;
  // Parses as much of `in` as the document takes, returning the bytes used; stops at the end
  // of one complete value (done()). More bytes may follow in later calls.
  std::size_t write_some(std::string_view in, boost::json::error_code& ec);
  // The same for the last bytes of the input (boost::json::parser::write_some): a document
  // not complete at their end is an error here, not a wait for more.
  std::size_t write_last(std::string_view in, boost::json::error_code& ec);
  // No more input: completes a document that can end here (a top-level number) or fails.
  void finish(boost::json::error_code& ec) { write_last({}, ec); }
  bool done() const noexcept;
  // The first number literal of the document past DBL_MAX (read as an infinity), as written:
  // Go's decoder refuses it (strconv's range error), and its message quotes it.
  const std::optional<std::string>& overflowed() const noexcept;
  // The value, once done(); the parser is then ready for reset().
  boost::json::value release();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// One whole document in `text`, as boost::json::parse(text, ec, sp, opt): bytes after the
// value are error::extra_data; on an error the result is null.
boost::json::value parse_json(std::string_view text, boost::json::error_code& ec,
                              const boost::json::parse_options& opt = {}, boost::json::storage_ptr sp = {});
// The same for text the program wrote itself (built-in defaults): throws boost::system::system_error.
boost::json::value parse_json(std::string_view text, const boost::json::parse_options& opt = {});

}  // namespace coconsul::core
