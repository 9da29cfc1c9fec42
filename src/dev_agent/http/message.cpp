// Query strings, percent-decoding and header lookup of the dev agent's HTTP messages.

#include "dev_agent/http/message.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/url/grammar/hexdig_chars.hpp>
#include <boost/url/grammar/string_token.hpp>
#include <boost/url/pct_string_view.hpp>

#include <algorithm>
#include <cctype>

namespace coconsul::dev {

namespace {

void form_encode(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
}
}  // namespace

// Boost.URL decodes; what it would reject as an escape (a '%' not followed by two hex digits)
// is kept as it is, as the agent always has (Go's url.ParseQuery would drop such a pair).
std::string percent_decode(std::string_view in, bool plus_is_space) {
  namespace urls = boost::urls;
  urls::encoding_opts opts;
  opts.space_as_plus = plus_is_space;
  std::string out;
  out.reserve(in.size());
  for (;;) {
    std::size_t bad = 0;
    while ((bad = in.find('%', bad)) != std::string_view::npos) {
      if (bad + 2 < in.size() && urls::grammar::hexdig_chars(in[bad + 1]) && urls::grammar::hexdig_chars(in[bad + 2])) {
        bad += 3;
        continue;
      }
      break;
    }
    auto valid = urls::make_pct_string_view(in.substr(0, bad));  // every escape in it is whole
    valid->decode(opts, urls::string_token::append_to(out));
    if (bad == std::string_view::npos) return out;
    out += '%';
    in.remove_prefix(bad + 1);
  }
}

query_params query_params::parse(std::string_view raw) {
  query_params q;
  while (!raw.empty()) {
    auto amp = raw.find('&');
    std::string_view part = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view{} : raw.substr(amp + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    std::string key = percent_decode(part.substr(0, eq), true);
    std::string value = eq == std::string_view::npos ? std::string{} : percent_decode(part.substr(eq + 1), true);
    q.items_.emplace_back(std::move(key), std::move(value));
  }
  return q;
}

bool query_params::has(std::string_view key) const {
  return std::any_of(items_.begin(), items_.end(), [&](const auto& kv) { return kv.first == key; });
}

std::optional<std::string> query_params::get(std::string_view key) const {
  for (const auto& [k, v] : items_)
    if (k == key) return v;
  return std::nullopt;
}

std::string query_params::get_or(std::string_view key, std::string_view fallback) const {
  auto v = get(key);
  return v ? *v : std::string(fallback);
}

std::vector<std::string> query_params::all(std::string_view key) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : items_)
    if (k == key) out.push_back(v);
  return out;
}

query_params query_params::without(std::initializer_list<std::string_view> keys) const {
  query_params out;
  for (const auto& kv : items_)
    if (std::find(keys.begin(), keys.end(), kv.first) == keys.end()) out.items_.push_back(kv);
  return out;
}

std::string query_params::encode() const {
  auto sorted = items_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [k, v] : sorted) {
    if (!out.empty()) out += '&';
    form_encode(out, k);
    out += '=';
    form_encode(out, v);
  }
  return out;
}

std::string_view http_request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (boost::beast::iequals(k, name)) return v;
  return {};
}

void http_response::set_header(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (boost::beast::iequals(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::string_view http_response::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (boost::beast::iequals(k, name)) return v;
  return {};
}

}  // namespace coconsul::dev
