// Reading and checking the built-in CA provider's Config map (see provider_config.hpp).

#include "dev_agent/connect/provider_config.hpp"

#include "dev_agent/http/json_in.hpp"

#include <coconsul/duration.hpp>

#include <boost/json/value.hpp>

#include <cctype>
#include <cstdlib>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace coconsul::dev::connect {
namespace json = boost::json;

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// Joins the pieces with appends (gcc 12 warns falsely, -Wrestrict, on "literal" + string&&).
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out += p;
  return out;
}

// mapstructure's WeaklyTypedInput conversions, one per field type. Each returns an error text
// ("" when it converted).
std::string read(const json::value& v, std::string_view key, std::chrono::nanoseconds& out) {
  if (v.is_string()) {
    auto d = try_parse_duration(v.get_string());
    if (!d) return cat({"error decoding '", key, "': time: invalid duration \"", v.get_string(), "\""});
    out = *d;
    return {};
  }
  if (v.is_int64()) { out = std::chrono::nanoseconds(v.get_int64()); return {}; }
  if (v.is_uint64()) { out = std::chrono::nanoseconds(static_cast<std::int64_t>(v.get_uint64())); return {}; }
  if (v.is_double()) { out = std::chrono::nanoseconds(static_cast<std::int64_t>(v.get_double())); return {}; }
  return cat({"'", key, "' expected type 'time.Duration', got unconvertible type '", go_type_name(v), "'"});
}

std::string read(const json::value& v, std::string_view key, std::string& out) {
  if (v.is_string()) { out = std::string(v.get_string()); return {}; }
  if (v.is_bool()) {
    out.assign(1, v.get_bool() ? '1' : '0');  // assign(const char*) of a ternary: a false -Wrestrict in gcc 12
    return {};
  }
  if (v.is_int64()) { out = std::to_string(v.get_int64()); return {}; }
  if (v.is_uint64()) { out = std::to_string(v.get_uint64()); return {}; }
  return cat({"'", key, "' expected type 'string', got unconvertible type '", go_type_name(v), "'"});
}

std::string read(const json::value& v, std::string_view key, int& out) {
  if (v.is_int64()) { out = static_cast<int>(v.get_int64()); return {}; }
  if (v.is_uint64()) { out = static_cast<int>(v.get_uint64()); return {}; }
  if (v.is_double()) { out = static_cast<int>(v.get_double()); return {}; }
  if (v.is_bool()) { out = v.get_bool() ? 1 : 0; return {}; }
  if (v.is_string()) {
    std::string s(v.get_string());
    char* end = nullptr;
    long n = std::strtol(s.c_str(), &end, 0);
    if (s.empty() || *end != '\0')
      return cat({"cannot parse '", key, "' as int: strconv.ParseInt: parsing \"", s, "\": invalid syntax"});
    out = static_cast<int>(n);
    return {};
  }
  return cat({"'", key, "' expected type 'int', got unconvertible type '", go_type_name(v), "'"});
}

std::string read(const json::value& v, std::string_view key, bool& out) {
  if (v.is_bool()) { out = v.get_bool(); return {}; }
  if (v.is_int64()) { out = v.get_int64() != 0; return {}; }
  if (v.is_uint64()) { out = v.get_uint64() != 0; return {}; }
  if (v.is_string()) {
    std::string_view s = v.get_string();
    if (s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True") { out = true; return {}; }
    if (s == "0" || s == "f" || s == "F" || s == "false" || s == "FALSE" || s == "False" || s.empty()) {
      out = false;
      return {};
    }
    return cat({"cannot parse '", key, "' as bool: strconv.ParseBool: parsing \"", s, "\": invalid syntax"});
  }
  return cat({"'", key, "' expected type 'bool', got unconvertible type '", go_type_name(v), "'"});
}

// Go's %s of a time.Duration.
std::string go(std::chrono::nanoseconds d) { return format_duration(d); }

// CommonCAProviderConfig.Validate, in Consul's order.
std::string validate(const provider_config& c) {
  using namespace std::chrono;
  if (c.root_cert_ttl < c.intermediate_cert_ttl)
    return cat({"root cert TTL is set and is not greater than intermediate cert ttl. root cert ttl: ",
                go(c.root_cert_ttl), ", intermediate cert ttl: ", go(c.intermediate_cert_ttl)});
  if (c.leaf_cert_ttl < hours(1)) return cat({"leaf cert TTL must be greater or equal than ", go(hours(1))});
  if (c.leaf_cert_ttl > hours(365 * 24)) return cat({"leaf cert TTL must be less than ", go(hours(365 * 24))});
  if (c.intermediate_cert_ttl < hours(3)) return "Intermediate Cert TTL must be greater or equal than 3h";
  if (c.intermediate_cert_ttl < 3 * c.leaf_cert_ttl)
    return cat({"Intermediate Cert TTL must be greater or equal than 3 * LeafCertTTL (>=", go(3 * c.leaf_cert_ttl), ")."});
  if (c.private_key_type == "ec") {
    int b = c.private_key_bits;
    if (b != 224 && b != 256 && b != 384 && b != 521) return "EC key length must be one of (224, 256, 384, 521) bits";
  } else if (c.private_key_type == "rsa") {
    if (c.private_key_bits != 2048 && c.private_key_bits != 4096) return "RSA key length must be 2048 or 4096 bits";
  } else {
    return "private key type must be either 'ec' or 'rsa'";
  }
  return {};
}

// Whole hours as Consul's defaults write them ("72h"), anything else as Go formats it.
std::string duration_text(std::chrono::nanoseconds d) {
  auto h = std::chrono::duration_cast<std::chrono::hours>(d);
  if (h.count() > 0 && h == d) return cat({std::to_string(h.count()), "h"});
  return format_duration(d);
}

}  // namespace

std::optional<provider_config> parse_provider_config(const json::object& raw, std::string& error) {
  provider_config c;
  std::vector<std::string> errors;
  for (const auto& [k, v] : raw) {
    std::string_view key = k;
    if (v.is_null()) continue;  // mapstructure leaves a nil input alone
    std::string e;
    if (iequals(key, "LeafCertTTL")) e = read(v, "LeafCertTTL", c.leaf_cert_ttl);
    else if (iequals(key, "IntermediateCertTTL")) e = read(v, "IntermediateCertTTL", c.intermediate_cert_ttl);
    else if (iequals(key, "RootCertTTL")) e = read(v, "RootCertTTL", c.root_cert_ttl);
    else if (iequals(key, "PrivateKeyType")) e = read(v, "PrivateKeyType", c.private_key_type);
    else if (iequals(key, "PrivateKeyBits")) e = read(v, "PrivateKeyBits", c.private_key_bits);
    else if (iequals(key, "PrivateKey")) e = read(v, "PrivateKey", c.private_key);
    else if (iequals(key, "RootCert")) e = read(v, "RootCert", c.root_cert);
    else if (iequals(key, "DisableCrossSigning")) e = read(v, "DisableCrossSigning", c.disable_cross_signing);
    // Other keys (CSRMaxPerSecond, CSRMaxConcurrent, cluster_id, ...) are not the provider's.
    if (!e.empty()) errors.push_back(std::move(e));
  }
  if (!errors.empty()) {
    error = cat({"error decoding config: ", std::to_string(errors.size()), " error(s) decoding:\n"});
    for (const auto& e : errors) error += cat({"\n* ", e});
    return std::nullopt;
  }
  if (c.private_key.empty() && !c.root_cert.empty()) {
    error = "must provide a private key when providing a root cert";
    return std::nullopt;
  }
  if (auto why = validate(c); !why.empty()) {
    error = std::move(why);
    return std::nullopt;
  }
  return c;
}

json::object initial_config(const dev_agent_options::connect_settings& s) {
  json::object o;
  o["LeafCertTTL"] = duration_text(s.leaf_cert_ttl);
  o["IntermediateCertTTL"] = "8760h";
  o["RootCertTTL"] = duration_text(s.root_cert_ttl);
  if (s.private_key_type != "ec" || s.private_key_bits != 256) {
    o["PrivateKeyType"] = s.private_key_type;
    o["PrivateKeyBits"] = s.private_key_bits;
  }
  if (!s.cluster_id.empty()) o["cluster_id"] = s.cluster_id;  // Consul keeps the ca_config key in the map
  return o;
}

}  // namespace coconsul::dev::connect
