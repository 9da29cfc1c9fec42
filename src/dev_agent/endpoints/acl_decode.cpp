// The ACL write bodies and Go's time text (see acl_decode.hpp).

#include "dev_agent/endpoints/acl_decode.hpp"

#include "dev_agent/http/error.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace coconsul::dev {

namespace json = boost::json;

namespace {
std::string quoted(std::string_view s) {  // Go's %q for the printable text these errors carry
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

// Decodes `body` as the Go struct `type` with `fields`; a failure is Consul's 400.
void decode_body(std::string_view body, std::string_view type, std::string_view prefix,
                 const std::vector<json_field>& fields) {
  try {
    json::value v = parse_body(body);
    decode_object(v, json_context{type, ""}, fields);
  } catch (const body_decode_error& e) {
    throw_bad_request(std::string(prefix) + " decoding failed: " + e.what());
  }
}
}  // namespace

acl_login_body decode_acl_login(std::string_view body) {
  acl_login_body b;
  try {
    json::value v = parse_body(body);
    decode_object(v, json_context{"ACLLoginParams", ""},
                  {field("AuthMethod", b.auth_method), field("BearerToken", b.bearer_token), field("Meta", b.meta)});
  } catch (const body_decode_error& e) {
    throw_bad_request(std::string("Failed to decode body: ") + e.what());
  }
  return b;
}

acl_token_body decode_acl_token(std::string_view body) {
  acl_token_body b;
  auto& t = b.token;
  go_time_field expiration;
  go_duration ttl;
  decode_body(body, "ACLToken", "Token",
              {field("AccessorID", t.accessor_id), field("SecretID", t.secret_id), field("Description", t.description),
               field("Policies", t.policies), field("Roles", t.roles), field("ServiceIdentities", t.service_identities),
               field("NodeIdentities", t.node_identities), field("Local", t.local), field("AuthMethod", t.auth_method),
               field("ExpirationTime", expiration), field("ExpirationTTL", ttl), field("Rules", b.rules),
               ignored_field("CreateTime"), ignored_field("Hash"), ignored_field("CreateIndex"),
               ignored_field("ModifyIndex")});
  t.expiration_time = expiration.value;
  b.expiration_ttl = ttl.value;
  return b;
}

acl_policy_record decode_acl_policy(std::string_view body) {
  acl_policy_record p;
  nullable_strings datacenters;
  decode_body(body, "ACLPolicy", "Policy",
              {field("ID", p.id), field("Name", p.name), field("Description", p.description), field("Rules", p.rules),
               field("Datacenters", datacenters), ignored_field("Hash"), ignored_field("CreateIndex"),
               ignored_field("ModifyIndex")});
  p.datacenters = std::move(datacenters.value);
  return p;
}

acl_role_record decode_acl_role(std::string_view body) {
  acl_role_record r;
  decode_body(body, "ACLRole", "Role",
              {field("ID", r.id), field("Name", r.name), field("Description", r.description), field("Policies", r.policies),
               field("ServiceIdentities", r.service_identities), field("NodeIdentities", r.node_identities),
               ignored_field("Hash"), ignored_field("CreateIndex"), ignored_field("ModifyIndex")});
  return r;
}

acl_auth_method_record decode_acl_auth_method(std::string_view body) {
  acl_auth_method_record m;
  go_duration ttl;
  decode_body(body, "ACLAuthMethod", "AuthMethod",
              {field("Name", m.name), field("Type", m.type), field("DisplayName", m.display_name),
               field("Description", m.description), field("MaxTokenTTL", ttl), field("TokenLocality", m.token_locality),
               field("Config", m.config), ignored_field("CreateIndex"), ignored_field("ModifyIndex")});
  m.max_token_ttl = ttl.value;
  return m;
}

acl_binding_rule_record decode_acl_binding_rule(std::string_view body) {
  acl_binding_rule_record r;
  decode_body(body, "ACLBindingRule", "BindingRule",
              {field("ID", r.id), field("Description", r.description), field("AuthMethod", r.auth_method),
               field("Selector", r.selector), field("BindType", r.bind_type), field("BindName", r.bind_name),
               ignored_field("CreateIndex"), ignored_field("ModifyIndex")});
  return r;
}

std::string go_time(acl_time t) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ns / 1000000000);
  long frac = static_cast<long>(ns % 1000000000);
  if (frac < 0) {
    frac += 1000000000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buf;
  if (frac != 0) {
    char f[16];
    std::snprintf(f, sizeof f, ".%09ld", frac);
    std::string fs = f;
    while (fs.back() == '0') fs.pop_back();
    out += fs;
  }
  return out + "Z";
}

std::optional<acl_time> parse_go_time(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)
  auto digits = [&](std::size_t at, std::size_t n) -> std::optional<int> {
    if (at + n > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
    return std::nullopt;
  auto y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2), h = digits(11, 2), mi = digits(14, 2), se = digits(17, 2);
  if (!y || !mo || !d || !h || !mi || !se || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *se > 59)
    return std::nullopt;
  // Go's "day out of range": no 31 November, no 29 February outside leap years.
  constexpr int days_in[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
  if (*d > days_in[*mo - 1] + (*mo == 2 && leap ? 1 : 0)) return std::nullopt;
  std::size_t i = 19;
  std::int64_t frac_ns = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::size_t start = i, scale = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      if (scale < 9) {
        frac_ns = frac_ns * 10 + (s[i] - '0');
        ++scale;
      }
      ++i;
    }
    if (i == start) return std::nullopt;
    for (; scale < 9; ++scale) frac_ns *= 10;
  }
  int offset = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size()) {
  } else if (i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
    auto oh = digits(i + 1, 2), om = digits(i + 4, 2);
    if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
    offset = (*oh * 60 + *om) * 60 * (s[i] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = *y - 1900;
  tm.tm_mon = *mo - 1;
  tm.tm_mday = *d;
  tm.tm_hour = *h;
  tm.tm_min = *mi;
  tm.tm_sec = *se;
  std::time_t secs = timegm(&tm) - offset;
  // Nanoseconds since 1970 in 64 bits reach from 1677 to 2262: a time outside is refused
  // rather than wrapped around (Go's time.Time holds it; no token lives that long anyway).
  constexpr std::time_t limit = 9223372035;  // whole seconds that fit with any fraction
  if (secs < -limit || secs > limit) return std::nullopt;
  return acl_time(std::chrono::duration_cast<acl_time::duration>(std::chrono::seconds(secs) + std::chrono::nanoseconds(frac_ns)));
}

void assign(const json::value& v, std::vector<acl_link>& out, const json_context& ctx) {
  if (!v.is_array()) throw_type_error(v, ctx, "[]structs.ACLTokenPolicyLink");
  out.clear();
  for (const auto& e : v.get_array()) {
    acl_link l;
    decode_object(e, ctx, {field("ID", l.id), field("Name", l.name)});
    out.push_back(std::move(l));
  }
}

void assign(const json::value& v, std::vector<acl_service_identity>& out, const json_context& ctx) {
  if (!v.is_array()) throw_type_error(v, ctx, "[]*structs.ACLServiceIdentity");
  out.clear();
  for (const auto& e : v.get_array()) {
    acl_service_identity s;
    decode_object(e, ctx, {field("ServiceName", s.service_name), field("Datacenters", s.datacenters)});
    out.push_back(std::move(s));
  }
}

void assign(const json::value& v, std::vector<acl_node_identity>& out, const json_context& ctx) {
  if (!v.is_array()) throw_type_error(v, ctx, "[]*structs.ACLNodeIdentity");
  out.clear();
  for (const auto& e : v.get_array()) {
    acl_node_identity n;
    decode_object(e, ctx, {field("NodeName", n.node_name), field("Datacenter", n.datacenter)});
    out.push_back(std::move(n));
  }
}

void assign(const json::value& v, go_time_field& out, const json_context& ctx) {
  if (!v.is_string()) throw_type_error(v, ctx, "time.Time");
  auto t = parse_go_time(v.get_string());
  if (!t) throw body_decode_error("parsing time " + quoted(v.get_string()) + " as \"2006-01-02T15:04:05Z07:00\": cannot parse");
  out.value = *t;
}

void assign(const json::value& v, nullable_strings& out, const json_context& ctx) {
  std::vector<std::string> values;
  assign(v, values, ctx);
  out.value = std::move(values);
}

}  // namespace coconsul::dev
