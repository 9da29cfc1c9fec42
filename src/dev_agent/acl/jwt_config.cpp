// The jwt auth method's Config: mapstructure's weakly typed decoding as Consul's
// authmethod.ParseConfig sets it up, then go-sso's Config.Validate for type "jwt" (see
// jwt_config.hpp).
#include "dev_agent/acl/jwt_config.hpp"

#include "core/text.hpp"
#include "dev_agent/acl/jwt_go_values.hpp"
#include "dev_agent/http/json_in.hpp"
#include "dev_agent/acl/jwt_keys.hpp"

#include <boost/algorithm/string/predicate.hpp>

#include <algorithm>
#include <functional>
#include <set>

namespace coconsul::dev::acl {
namespace json = boost::json;

namespace {

// Collects the decoding errors; mapstructure reports them all, sorted.
struct decoder {
  std::vector<std::string> errors;

  void unconvertible(const std::string& name, const char* want, const json::value& v) {
    errors.push_back("'" + name + "' expected type '" + want + "', got unconvertible type '" + go_type_name(v) +
                     "', value: '" + go_format_v(v) + "'");
  }

  // decode.HookWeakDecodeFromSlice: a one-element list stands for its element where the field
  // is not a list (HCL writes blocks that way).
  static const json::value& unwrap(const json::value& v) {
    const json::value* p = &v;
    while (p->is_array() && p->get_array().size() == 1) p = &p->get_array()[0];
    return *p;
  }

  void string_field(const std::string& name, const json::value& raw, std::string& out) {
    const json::value& v = unwrap(raw);
    double f = 0;
    switch (v.kind()) {
      case json::kind::null: return;  // mapstructure leaves the field alone
      case json::kind::string: out = std::string(v.get_string()); return;
      case json::kind::bool_: out.assign(1, v.get_bool() ? '1' : '0'); return;
      case json::kind::int64:
      case json::kind::uint64:
      case json::kind::double_:
        go_float(v, f);
        out = go_format_float_f(f);
        return;
      default: unconvertible(name, "string", v);
    }
  }

  void duration_field(const std::string& name, const json::value& raw, std::chrono::nanoseconds& out) {
    const json::value& v = unwrap(raw);
    double f = 0;
    switch (v.kind()) {
      case json::kind::null: return;
      case json::kind::bool_: out = std::chrono::nanoseconds(v.get_bool() ? 1 : 0); return;
      case json::kind::int64:
      case json::kind::uint64:
      case json::kind::double_:
        go_float(v, f);
        out = std::chrono::nanoseconds(go_float_to_int64(f));
        return;
      case json::kind::string: {
        // No duration hook: "5s" is not an integer to mapstructure (nanoseconds are).
        const std::string s = v.get_string().empty() ? "0" : std::string(v.get_string());
        std::string why;
        if (auto n = go_parse_int_base0(s, why)) out = std::chrono::nanoseconds(*n);
        else errors.push_back("cannot parse '" + name + "' as int: " + why);
        return;
      }
      default: unconvertible(name, "time.Duration", v);
    }
  }

  void list_field(const std::string& name, const json::value& v, std::vector<std::string>& out) {
    if (v.is_null()) return;
    std::vector<std::string> list;
    auto element = [&](std::size_t i, const json::value& e) {
      std::string s;
      string_field(name + "[" + std::to_string(i) + "]", e, s);
      list.push_back(std::move(s));
    };
    if (v.is_array()) {
      for (std::size_t i = 0; i < v.get_array().size(); ++i) element(i, v.get_array()[i]);
    } else if (!(v.is_object() && v.get_object().empty())) {
      element(0, v);  // weakly typed: a single value becomes a list of one
    }
    out = std::move(list);
  }

  void map_into(const std::string& name, const json::value& v, std::map<std::string, std::string>& out) {
    if (v.is_object()) {
      for (const auto& kv : v.get_object()) {
        std::string s;
        string_field(name + "[" + std::string(kv.key()) + "]", kv.value(), s);
        out[std::string(kv.key())] = std::move(s);
      }
    } else if (v.is_array()) {
      // Weakly typed: a list of maps merges into one.
      for (std::size_t i = 0; i < v.get_array().size(); ++i)
        map_into(name + "[" + std::to_string(i) + "]", v.get_array()[i], out);
    } else {
      const char* kind = v.is_string() ? "string" : (v.is_bool() ? "bool" : "float64");
      errors.push_back("'" + name + "' expected a map, got '" + kind + "'");
    }
  }

  void map_field(const std::string& name, const json::value& raw, std::map<std::string, std::string>& out) {
    const json::value& v = raw.is_array() && raw.get_array().size() == 1 ? raw.get_array()[0] : raw;
    if (v.is_null()) return;
    std::map<std::string, std::string> m;
    map_into(name, v, m);
    out = std::move(m);
  }
};

using field_decoder = std::function<void(decoder&, const std::string&, const json::value&, jwt_method_config&)>;

struct field {
  const char* name;
  field_decoder decode;
};

template <class M>
field_decoder as_string(M member) {
  return [member](decoder& d, const std::string& n, const json::value& v, jwt_method_config& c) {
    d.string_field(n, v, c.*member);
  };
}
template <class M>
field_decoder as_list(M member) {
  return [member](decoder& d, const std::string& n, const json::value& v, jwt_method_config& c) {
    d.list_field(n, v, c.*member);
  };
}
template <class M>
field_decoder as_map(M member) {
  return [member](decoder& d, const std::string& n, const json::value& v, jwt_method_config& c) {
    d.map_field(n, v, c.*member);
  };
}
template <class M>
field_decoder as_duration(M member) {
  return [member](decoder& d, const std::string& n, const json::value& v, jwt_method_config& c) {
    d.duration_field(n, v, c.*member);
  };
}

// ssoauth.Config's fields (CE: its enterprise part is empty).
const std::vector<field>& fields() {
  using c = jwt_method_config;
  static const std::vector<field> all = {
      {"JWTSupportedAlgs", as_list(&c::supported_algs)},
      {"BoundAudiences", as_list(&c::bound_audiences)},
      {"ClaimMappings", as_map(&c::claim_mappings)},
      {"ListClaimMappings", as_map(&c::list_claim_mappings)},
      {"OIDCDiscoveryURL", as_string(&c::oidc_discovery_url)},
      {"OIDCDiscoveryCACert", as_string(&c::oidc_discovery_ca_cert)},
      {"JWKSURL", as_string(&c::jwks_url)},
      {"JWKSCACert", as_string(&c::jwks_ca_cert)},
      {"JWTValidationPubKeys", as_list(&c::validation_pub_keys)},
      {"BoundIssuer", as_string(&c::bound_issuer)},
      {"ExpirationLeeway", as_duration(&c::expiration_leeway)},
      {"NotBeforeLeeway", as_duration(&c::not_before_leeway)},
      {"ClockSkewLeeway", as_duration(&c::clock_skew_leeway)},
  };
  return all;
}

// mapstructure's decodeStructFromMap: a field takes the key of its exact name, else the first
// key equal to it ignoring case; every other key is an invalid key.
std::optional<std::string> decode(const json::object& config, jwt_method_config& out) {
  decoder d;
  std::set<std::string> used;
  for (const auto& f : fields()) {
    const json::value* v = config.if_contains(f.name);
    std::string key = f.name;
    if (!v) {
      for (const auto& kv : config) {
        if (boost::algorithm::iequals(kv.key(), f.name)) {
          v = &kv.value();
          key = std::string(kv.key());
          break;
        }
      }
    }
    if (!v) continue;
    used.insert(key);
    f.decode(d, f.name, *v, out);
  }
  std::vector<std::string> unused;
  for (const auto& kv : config)
    if (!used.count(std::string(kv.key()))) unused.emplace_back(kv.key());
  if (!unused.empty()) {
    std::sort(unused.begin(), unused.end());
    std::string keys;
    for (const auto& k : unused) keys += (keys.empty() ? "" : ", ") + k;
    d.errors.push_back("'' has invalid keys: " + keys);
  }
  if (d.errors.empty()) return std::nullopt;
  std::sort(d.errors.begin(), d.errors.end());
  std::string text = "error decoding config: " + std::to_string(d.errors.size()) + " error(s) decoding:\n";
  for (const auto& e : d.errors) text += "\n* " + e;
  return text;
}

// Two mappings naming the same target: the first in key order is reported (Go's map order is
// random, so any one of them is what Consul may say).
std::optional<std::string> duplicate_target(const std::map<std::string, std::string>& mappings, const char* what) {
  std::set<std::string> targets;
  for (const auto& [claim, target] : mappings)
    if (!targets.insert(target).second)
      return std::string(what) + " contains multiple mappings for key " + core::quoted(target);
  return std::nullopt;
}


// What go-sso's Validate checks for type "jwt", in its order.
std::optional<std::string> check(jwt_method_config& c) {
  const int sources = (c.oidc_discovery_url.empty() ? 0 : 1) + (c.validation_pub_keys.empty() ? 0 : 1) +
                      (c.jwks_url.empty() ? 0 : 1);
  if (sources != 1)
    return std::string("exactly one of 'JWTValidationPubKeys', 'JWKSURL', or 'OIDCDiscoveryURL' must be set for type \"jwt\"");
  // Consul fetches the key set here; a dev agent makes no outgoing requests for it.
  if (!c.jwks_url.empty())
    return std::string("error checking JWKSURL: the dev agent fetches no keys over the network; give the keys in "
                       "'JWTValidationPubKeys'");
  if (!c.jwks_ca_cert.empty()) return std::string("'JWKSCACert' should not be set unless 'JWKSURL' is set");
  c.keys.clear();
  for (std::size_t i = 0; i < c.validation_pub_keys.size(); ++i) {
    std::string why;
    auto key = parse_public_key_pem(c.validation_pub_keys[i], why);
    if (!key) return "error parsing public key JWTValidationPubKeys[" + std::to_string(i) + "]: " + why;
    c.keys.push_back(std::move(key));
  }
  if (!c.oidc_discovery_url.empty())
    return std::string("error checking OIDCDiscoveryURL: the dev agent makes no OIDC discovery requests; give the keys "
                       "in 'JWTValidationPubKeys'");
  if (!c.oidc_discovery_ca_cert.empty())
    return std::string("'OIDCDiscoveryCACert' should not be set unless 'OIDCDiscoveryURL' is set");
  static const std::set<std::string> algs = {"RS256", "RS384", "RS512", "ES256", "ES384",
                                             "ES512", "PS256", "PS384", "PS512"};
  for (const auto& a : c.supported_algs)
    if (!algs.count(a)) return "Invalid supported algorithm: " + a;
  if (auto e = duplicate_target(c.claim_mappings, "ClaimMappings")) return e;
  return duplicate_target(c.list_claim_mappings, "ListClaimMappings");
}

}  // namespace

std::optional<std::string> parse_jwt_method_config(const json::object& config, jwt_method_config& out) {
  jwt_method_config c;
  if (auto e = decode(config, c)) return e;
  if (auto e = check(c)) return e;
  out = std::move(c);
  return std::nullopt;
}

std::optional<std::string> validate_jwt_method_config(const json::object& config) {
  jwt_method_config ignored;
  return parse_jwt_method_config(config, ignored);
}

}  // namespace coconsul::dev::acl
