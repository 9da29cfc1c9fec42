// The service-intentions kind (service_intentions.hpp): the view read from JSON, Consul's
// normalize and validate with its error texts, the JSON rendered back in Go's field order, and
// the kind's hook for the config entry table (kinds.hpp).

#include "dev_agent/config_entries/service_intentions.hpp"

#include "dev_agent/config_entries/kinds.hpp"

#include "dev_agent/config_entries/chain_checks.hpp"
#include "dev_agent/config_entries/common_rules.hpp"
#include "dev_agent/config_entries/errors.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace coconsul::dev::config_entries {
namespace json = boost::json;

namespace {

constexpr std::size_t meta_max_key_pairs = 64;
constexpr std::size_t meta_key_max_length = 128;
constexpr std::size_t meta_value_max_length = 512;
constexpr std::string_view wildcard = "*";

std::string q(std::string_view s) { return go_quote(s); }

// --- reading -----------------------------------------------------------------------------

// A reader that remembers the first problem, so the parse reads straight through.
struct reader {
  std::optional<std::string> error;

  void fail(std::string_view path, std::string_view want) {
    if (!error) error = std::string(path) + ": expected " + std::string(want);
  }
  void str(const json::object& o, std::string_view key, std::string& out, const std::string& path) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return;
    if (!v->is_string()) return fail(path + std::string(key), "a string");
    out = std::string(v->get_string());
  }
  void boolean(const json::object& o, std::string_view key, bool& out, const std::string& path) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return;
    if (!v->is_bool()) return fail(path + std::string(key), "a boolean");
    out = v->get_bool();
  }
  void opt_str(const json::object& o, std::string_view key, std::optional<std::string>& out, const std::string& path) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return;
    if (!v->is_string()) return fail(path + std::string(key), "a string");
    out = std::string(v->get_string());
  }
  void strings(const json::object& o, std::string_view key, std::vector<std::string>& out, const std::string& path) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return;
    if (!v->is_array()) return fail(path + std::string(key), "a list of strings");
    for (const auto& e : v->get_array()) {
      if (!e.is_string()) return fail(path + std::string(key), "a list of strings");
      out.emplace_back(e.get_string());
    }
  }
  void map(const json::object& o, std::string_view key, std::optional<std::map<std::string, std::string>>& out,
           const std::string& path) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return;
    if (!v->is_object()) return fail(path + std::string(key), "a map of strings");
    std::map<std::string, std::string> m;
    for (const auto& [k, e] : v->get_object()) {
      if (!e.is_string()) return fail(path + std::string(key), "a map of strings");
      m.emplace(std::string(k), std::string(e.get_string()));
    }
    out = std::move(m);
  }
  const json::array* array(const json::object& o, std::string_view key, const std::string& path) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return nullptr;
    if (!v->is_array()) {
      fail(path + std::string(key), "a list");
      return nullptr;
    }
    return &v->get_array();
  }
  const json::object* object(const json::value& v, const std::string& path) {
    if (!v.is_object()) {
      fail(path, "an object");
      return nullptr;
    }
    return &v.get_object();
  }
};

std::string at(std::string_view path, std::size_t i) { return std::string(path) + "[" + std::to_string(i) + "]"; }

void read_http(reader& r, const json::object& o, http_permission& h, const std::string& path) {
  r.str(o, "PathExact", h.path_exact, path);
  r.str(o, "PathPrefix", h.path_prefix, path);
  r.str(o, "PathRegex", h.path_regex, path);
  if (const json::array* headers = r.array(o, "Header", path)) {
    for (std::size_t i = 0; i < headers->size(); ++i) {
      std::string p = at(path + "Header", i);
      const json::object* ho = r.object((*headers)[i], p);
      if (!ho) return;
      http_header_permission hp;
      p += ".";
      r.str(*ho, "Name", hp.name, p);
      r.boolean(*ho, "Present", hp.present, p);
      r.str(*ho, "Exact", hp.exact, p);
      r.str(*ho, "Prefix", hp.prefix, p);
      r.str(*ho, "Suffix", hp.suffix, p);
      r.str(*ho, "Regex", hp.regex, p);
      r.boolean(*ho, "Invert", hp.invert, p);
      h.header.push_back(std::move(hp));
    }
  }
  r.strings(o, "Methods", h.methods, path);
}

void read_source(reader& r, const json::object& o, source_intention& s, const std::string& path) {
  r.str(o, "Name", s.name, path);
  r.str(o, "Action", s.action, path);
  if (const json::array* perms = r.array(o, "Permissions", path)) {
    for (std::size_t i = 0; i < perms->size(); ++i) {
      std::string p = at(path + "Permissions", i);
      const json::object* po = r.object((*perms)[i], p);
      if (!po) return;
      intention_permission perm;
      p += ".";
      r.str(*po, "Action", perm.action, p);
      if (const json::value* h = po->if_contains("HTTP"); h && !h->is_null()) {
        if (const json::object* ho = r.object(*h, p + "HTTP")) {
          perm.http.emplace();
          read_http(r, *ho, *perm.http, p + "HTTP.");
        }
      }
      s.permissions.push_back(std::move(perm));
    }
  }
  // Read back as stored; normalize recomputes it on every write.
  if (const json::value* p = o.if_contains("Precedence"); p && p->is_int64()) s.precedence = static_cast<int>(p->get_int64());
  r.str(o, "LegacyID", s.legacy_id, path);
  r.str(o, "Type", s.type, path);
  r.str(o, "Description", s.description, path);
  r.map(o, "LegacyMeta", s.legacy_meta, path);
  r.opt_str(o, "LegacyCreateTime", s.legacy_create_time, path);
  r.opt_str(o, "LegacyUpdateTime", s.legacy_update_time, path);
  r.str(o, "Peer", s.peer, path);
}

// --- validating --------------------------------------------------------------------------

bool valid_method(std::string_view m) {
  static constexpr std::array methods{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE"};
  return std::find(methods.begin(), methods.end(), m) != methods.end();
}

bool partial_wildcard(std::string_view s) { return s != wildcard && s.find('*') != std::string_view::npos; }

// validateConfigEntryMeta's bounds and texts (common_rules.hpp), on the view's Meta.
std::optional<std::string> validate_meta(const std::map<std::string, std::string>& meta) {
  if (meta.empty()) return std::nullopt;
  json::object entry;
  json::object m;
  for (const auto& [k, v] : meta) m[k] = v;
  entry["Meta"] = std::move(m);
  return meta_error(entry);
}

std::optional<std::string> validate_wildcards(std::string_view name, std::string_view peer) {
  // The namespace is always "default" in CE: never a wildcard.
  if (partial_wildcard(name)) return "Name: wildcard character '*' cannot be used with partial values";
  if (peer.find('*') != std::string_view::npos) return "Peer: cannot use wildcard '*' in peer";
  return std::nullopt;
}

std::optional<std::string> validate_permission(const intention_permission& perm, const std::string& prefix) {
  if (perm.action != "allow" && perm.action != "deny") return prefix + ".Action must be set to 'allow' or 'deny'";
  std::string http = prefix + ".HTTP";
  if (!perm.http) return http + " is required";
  const http_permission& h = *perm.http;
  int path_parts = 0;
  if (!h.path_exact.empty()) {
    ++path_parts;
    if (h.path_exact.front() != '/') return http + ".PathExact doesn't start with '/': " + q(h.path_exact);
  }
  if (!h.path_prefix.empty()) {
    ++path_parts;
    if (h.path_prefix.front() != '/') return http + ".PathPrefix doesn't start with '/': " + q(h.path_prefix);
  }
  if (!h.path_regex.empty()) ++path_parts;
  if (path_parts > 1) return http + " should only contain at most one of PathExact, PathPrefix, or PathRegex";
  int parts = path_parts;
  for (std::size_t k = 0; k < h.header.size(); ++k) {
    const auto& hdr = h.header[k];
    std::string hp = http + ".Header[" + std::to_string(k) + "]";
    if (hdr.name.empty()) return hp + " missing required Name field";
    int n = int(hdr.present) + int(!hdr.exact.empty()) + int(!hdr.regex.empty()) + int(!hdr.prefix.empty()) +
            int(!hdr.suffix.empty());
    if (n != 1) return hp + " should only contain one of Present, Exact, Prefix, Suffix, or Regex";
    ++parts;
  }
  if (!h.methods.empty()) {
    std::set<std::string_view> seen;
    for (const auto& m : h.methods) {
      if (!valid_method(m)) return http + ".Methods contains an invalid method " + q(m);
      if (!seen.insert(m).second) return http + ".Methods contains " + q(m) + " more than once";
    }
    ++parts;
  }
  if (parts == 0) return http + " should not be empty";
  return std::nullopt;
}

std::optional<std::string> validate_source(const source_intention& src, const std::string& s, bool legacy,
                                           bool dest_is_wild) {
  if (src.name.empty()) return s + ".Name is required";
  if (auto w = validate_wildcards(src.name, src.peer)) return s + "." + *w;
  if (src.description.size() > meta_value_max_length)
    return s + ".Description exceeds maximum length " + std::to_string(meta_value_max_length);
  if (legacy) {
    if (!src.peer.empty()) return s + ".Peer cannot be set by legacy intentions";
    const auto& meta = src.legacy_meta ? *src.legacy_meta : std::map<std::string, std::string>{};
    if (meta.size() > meta_max_key_pairs)
      return s + ".Meta exceeds maximum element count " + std::to_string(meta_max_key_pairs);
    for (const auto& [k, v] : meta) {
      if (k.size() > meta_key_max_length)
        return s + ".Meta key " + q(k) + " exceeds maximum length " + std::to_string(meta_key_max_length);
      if (v.size() > meta_value_max_length)
        return s + ".Meta value for key " + q(k) + " exceeds maximum length " + std::to_string(meta_value_max_length);
    }
    if (!src.legacy_create_time) return s + ".LegacyCreateTime must be set";
    if (!src.legacy_update_time) return s + ".LegacyUpdateTime must be set";
    if (src.legacy_id.empty()) return s + ".LegacyID must be set";
  } else {
    if (src.legacy_meta && !src.legacy_meta->empty()) return s + ".LegacyMeta must be omitted";
    if (src.legacy_create_time) return s + ".LegacyCreateTime must be omitted";
    if (src.legacy_update_time) return s + ".LegacyUpdateTime must be omitted";
    if (!src.legacy_id.empty()) return s + ".LegacyID must be omitted";
  }
  if ((legacy || src.permissions.empty()) && src.action != "allow" && src.action != "deny")
    return s + ".Action must be set to 'allow' or 'deny'";
  if (!src.permissions.empty() && !src.action.empty())
    return s + ".Action must be omitted if Permissions are specified";
  if (dest_is_wild && !src.permissions.empty())
    return s + ".Permissions cannot be specified on intentions with wildcarded destinations";
  if (src.type != "consul") return s + ".Type must be set to 'consul'";
  for (std::size_t j = 0; j < src.permissions.size(); ++j)
    if (auto err = validate_permission(src.permissions[j], s + ".Permissions[" + std::to_string(j) + "]")) return err;
  return std::nullopt;
}

// --- rendering ---------------------------------------------------------------------------

json::object render_strings(const std::map<std::string, std::string>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

json::object render_permission(const intention_permission& p) {
  json::object o;
  o["Action"] = p.action;
  if (p.http) {
    const auto& h = *p.http;
    json::object ho;
    if (!h.path_exact.empty()) ho["PathExact"] = h.path_exact;
    if (!h.path_prefix.empty()) ho["PathPrefix"] = h.path_prefix;
    if (!h.path_regex.empty()) ho["PathRegex"] = h.path_regex;
    if (!h.header.empty()) {
      json::array headers;
      for (const auto& hdr : h.header) {
        json::object x;
        x["Name"] = hdr.name;
        if (hdr.present) x["Present"] = true;
        if (!hdr.exact.empty()) x["Exact"] = hdr.exact;
        if (!hdr.prefix.empty()) x["Prefix"] = hdr.prefix;
        if (!hdr.suffix.empty()) x["Suffix"] = hdr.suffix;
        if (!hdr.regex.empty()) x["Regex"] = hdr.regex;
        if (hdr.invert) x["Invert"] = true;
        headers.emplace_back(std::move(x));
      }
      ho["Header"] = std::move(headers);
    }
    if (!h.methods.empty()) {
      json::array methods;
      for (const auto& m : h.methods) methods.emplace_back(m);
      ho["Methods"] = std::move(methods);
    }
    o["HTTP"] = std::move(ho);
  }
  return o;
}

json::object render_source(const source_intention& s) {
  json::object o;
  o["Name"] = s.name;
  if (!s.action.empty()) o["Action"] = s.action;
  if (!s.permissions.empty()) {
    json::array perms;
    for (const auto& p : s.permissions) perms.emplace_back(render_permission(p));
    o["Permissions"] = std::move(perms);
  }
  o["Precedence"] = s.precedence;
  if (!s.legacy_id.empty()) o["LegacyID"] = s.legacy_id;
  o["Type"] = s.type;
  if (!s.description.empty()) o["Description"] = s.description;
  if (s.legacy_meta && !s.legacy_meta->empty()) o["LegacyMeta"] = render_strings(*s.legacy_meta);
  if (s.legacy_create_time) o["LegacyCreateTime"] = *s.legacy_create_time;
  if (s.legacy_update_time) o["LegacyUpdateTime"] = *s.legacy_update_time;
  if (!s.peer.empty()) o["Peer"] = s.peer;
  return o;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

int intention_precedence(std::string_view destination_ns, std::string_view destination_name,
                         std::string_view source_ns, std::string_view source_name) {
  auto exact = [](std::string_view ns, std::string_view name) {
    if (ns == wildcard) return 0;
    return name == wildcard ? 1 : 2;
  };
  int max = 0;
  switch (exact(destination_ns, destination_name)) {
    case 2: max = 9; break;
    case 1: max = 6; break;
    default: max = 3; break;
  }
  return max - (2 - exact(source_ns, source_name));
}

std::optional<std::string> parse_intentions_entry(const json::object& body, intentions_entry& out) {
  reader r;
  r.str(body, "Name", out.name, "");
  std::optional<std::map<std::string, std::string>> meta;
  r.map(body, "Meta", meta, "");
  if (meta) out.meta = std::move(*meta);
  if (const json::array* sources = r.array(body, "Sources", "")) {
    for (std::size_t i = 0; i < sources->size() && !r.error; ++i) {
      std::string p = at("Sources", i);
      const json::object* so = r.object((*sources)[i], p);
      if (!so) break;
      source_intention s;
      read_source(r, *so, s, p + ".");
      out.sources.push_back(std::move(s));
    }
  }
  return r.error;
}

void normalize(intentions_entry& e, bool legacy) {
  for (auto& src : e.sources) {
    if (src.type.empty()) src.type = "consul";
    src.precedence = intention_precedence("default", e.name, "default", src.name);
    if (legacy) {
      if (!src.legacy_meta) src.legacy_meta.emplace();
    } else {
      src.legacy_id.clear();
      src.legacy_create_time.reset();
      src.legacy_update_time.reset();
    }
    for (auto& perm : src.permissions)
      if (perm.http)
        for (auto& m : perm.http->methods) m = upper(std::move(m));
  }
  std::stable_sort(e.sources.begin(), e.sources.end(),
                   [](const source_intention& a, const source_intention& b) { return a.precedence > b.precedence; });
}

std::optional<std::string> validate(const intentions_entry& e, bool legacy) {
  if (e.name.empty()) return "Name is required";
  if (auto w = validate_wildcards(e.name, "")) return w;
  bool dest_is_wild = has_wildcard_destination(e);
  if (legacy) {
    if (!e.meta.empty()) return "Meta must be omitted for legacy intention writes";
  } else if (auto m = validate_meta(e.meta)) {
    return m;
  }
  if (e.sources.empty()) return "At least one source is required";
  std::set<std::pair<std::string_view, std::string_view>> seen;  // (peer, name)
  for (std::size_t i = 0; i < e.sources.size(); ++i) {
    const auto& src = e.sources[i];
    std::string s = "Sources[" + std::to_string(i) + "]";
    if (auto err = validate_source(src, s, legacy, dest_is_wild)) return err;
    if (!seen.emplace(src.peer, src.name).second) {
      if (!src.peer.empty()) return s + " defines peer(" + q(src.peer) + ") " + q(src.name) + " more than once";
      return s + " defines " + q(src.name) + " more than once";
    }
  }
  return std::nullopt;
}

bool has_any_permissions(const intentions_entry& e) {
  return std::any_of(e.sources.begin(), e.sources.end(), [](const auto& s) { return !s.permissions.empty(); });
}

bool has_wildcard_destination(const intentions_entry& e) { return e.name == wildcard; }

std::optional<std::string> check_l7_protocol(const intentions_entry& e, std::string_view protocol) {
  if (has_wildcard_destination(e) || !has_any_permissions(e)) return std::nullopt;
  if (http_like(protocol)) return std::nullopt;
  return "service " + q(e.name) + " has protocol " + q(protocol) + ", which is incompatible with L7 intentions permissions";
}

json::object render(const intentions_entry& e) {
  json::object o;
  o["Kind"] = "service-intentions";
  o["Name"] = e.name;
  json::array sources;
  for (const auto& s : e.sources) sources.emplace_back(render_source(s));
  o["Sources"] = std::move(sources);
  if (!e.meta.empty()) o["Meta"] = render_strings(e.meta);
  return o;
}

std::string destination_protocol(const config_entry_state& entries, std::string_view service) {
  return chain_protocol(entries, service, "", "", nullptr);
}

std::optional<std::string> normalize_validate_service_intentions(json::object& entry, const kind_context& ctx) {
  intentions_entry e;
  if (auto err = parse_intentions_entry(entry, e)) return err;
  normalize(e, false);
  if (auto err = validate(e, false)) return err;
  if (auto err = check_l7_protocol(e, destination_protocol(ctx.entries, e.name))) return err;
  entry = render(e);
  return std::nullopt;
}

}  // namespace coconsul::dev::config_entries
