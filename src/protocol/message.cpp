// Header lookup on a received response: ASCII case-insensitive, as HTTP field names are.
#include "protocol/message.hpp"

#include <boost/url/grammar/ci_string.hpp>

namespace coconsul::protocol {

const std::string* response::find_header(std::string_view name) const noexcept {
  for (const auto& h : headers)
    if (boost::urls::grammar::ci_is_equal(h.name, name)) return &h.value;
  return nullptr;
}

}  // namespace coconsul::protocol
