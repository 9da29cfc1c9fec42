// Consul's checks of single values (see validate.hpp).

#include "dev_agent/config/validate.hpp"

#include "dev_agent/config/config_error.hpp"
#include "dev_agent/config/read.hpp"

#include <boost/asio/ip/address.hpp>

#include <sstream>

namespace coconsul::dev::config {

void validate_basic_name(std::string_view field, const std::string& value, bool allow_empty) {
  if (value.empty()) {
    if (allow_empty) return;
    throw config_error(std::string(field) + " cannot be empty");
  }
  bool ok = std::all_of(value.begin(), value.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
  });
  if (!ok)
    throw config_error(std::string(field) +
                       " can only contain lowercase alphanumeric, - or _ characters. received: \"" + value + "\"");
}

std::string node_meta_problem(const std::map<std::string, std::string>& meta, bool allow_consul_prefix) {
  if (meta.size() > 64) return "Node metadata cannot contain more than 64 key/value pairs";
  for (const auto& [k, v] : meta) {
    std::string why;
    bool chars_ok = std::all_of(k.begin(), k.end(), [](char ch) {
      return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
    });
    if (k.empty()) why = "Key cannot be blank";
    else if (!chars_ok) why = "Key contains invalid characters";
    else if (k.size() > 128) why = "Key is too long (limit: 128 characters)";
    else if (!allow_consul_prefix && k.rfind("consul-", 0) == 0) why = "Key prefix 'consul-' is reserved for internal use";
    else if (v.size() > 512) why = "Value is too long (limit: 512 characters)";
    if (!why.empty()) return "Couldn't load metadata pair ('" + k + "', '" + v + "'): " + why;
  }
  return {};
}

std::string uuid_problem(const std::string& text) {
  if (text.size() != 36) return "uuid string is wrong length";
  if (text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') return "uuid is improperly formatted";
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) continue;
    char ch = text[i];
    if (!std::isxdigit(static_cast<unsigned char>(ch))) {
      std::ostringstream why;  // encoding/hex's InvalidByteError
      why << "encoding/hex: invalid byte: U+" << std::uppercase << std::hex;
      why.width(4);
      why.fill('0');
      why << static_cast<unsigned>(static_cast<unsigned char>(ch)) << " '" << ch << "'";
      return why.str();
    }
  }
  return {};
}

dev_agent_options::log_level log_level_of(const std::string& text) {
  using L = dev_agent_options::log_level;
  std::string t = lower(text);
  if (t == "trace") return L::trace;
  if (t == "debug") return L::debug;
  if (t == "info") return L::info;
  if (t == "warn") return L::warn;
  if (t == "err" || t == "error") return L::error;
  if (t == "off") return L::off;  // coconsul's own: Consul has no silent level
  throw config_error("Invalid log level: " + text + ". Valid log levels are: [TRACE DEBUG INFO WARN ERR ERROR]");
}

std::string base64_error_offset(const std::string& why, const std::string& text) {
  constexpr std::string_view marker = "offset ";
  if (auto p = why.find(marker); p != std::string::npos) return why.substr(p + marker.size());
  // Wrong length or padding: Go names the first byte of the incomplete group.
  return std::to_string(text.size() - text.size() % 4);
}

std::string single_address(const boost::json::object& c, std::string_view key, std::vector<std::string>& errors) {
  std::string value = str(c, key);
  std::istringstream words(value);
  std::vector<std::string> addrs;
  for (std::string w; words >> w;) addrs.push_back(w);
  if (addrs.empty()) return {};
  std::string k(key);
  if (value.find("{{") != std::string::npos)
    throw config_error(k + ": go-sockaddr templates are not supported by coconsul: \"" + value + "\"");
  if (addrs.size() > 1)
    throw config_error(k + ": coconsul listens on one address, not " + std::to_string(addrs.size()) + ": \"" + value + "\"");
  if (addrs[0].rfind("unix://", 0) == 0) throw config_error(k + " cannot be a unix socket");
  std::string a = addrs[0] == "[::]" ? "::" : addrs[0];
  boost::system::error_code ec;
  boost::asio::ip::make_address(a, ec);
  if (ec) {
    errors.push_back(k + ": invalid ip address: " + addrs[0]);
    return {};
  }
  return a;
}

}  // namespace coconsul::dev::config
