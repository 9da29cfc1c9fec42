// Intentions over service-intentions entries (intentions.hpp): the legacy view, precedence
// order, matching, the decisions of check and authorize, the legacy writes and the JSON.

#include "dev_agent/config_entries/intentions.hpp"

#include "core/base64.hpp"
#include "dev_agent/config_entries/blake2b.hpp"
#include "dev_agent/config_entries/errors.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/json_in.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <tuple>

namespace coconsul::dev::config_entries {
namespace json = boost::json;

namespace {

constexpr std::string_view wildcard = "*";

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool covers(std::string_view pattern, std::string_view value) { return pattern == wildcard || pattern == value; }

// The first destination match whose source covers (ns, name): SpiffeIDService.Authorize.
const intention* first_source_match(const std::vector<intention>& matches, std::string_view ns,
                                    std::string_view name) {
  for (const auto& ixn : matches)
    if (ixn.source_peer.empty() && covers(ixn.source_ns, ns) && covers(ixn.source_name, name)) return &ixn;
  return nullptr;
}

std::string exact_name(std::string_view s) { return std::string(s); }

// Where a legacy source's fields come from (ToSourceIntention(legacy)).
source_intention to_source(const intention& ixn, bool legacy) {
  source_intention s;
  s.name = ixn.source_name;
  s.action = ixn.action;
  if (!legacy) s.permissions = ixn.permissions;
  s.legacy_id = ixn.id;
  s.type = ixn.source_type;
  s.description = ixn.description;
  if (!ixn.meta.empty()) s.legacy_meta = ixn.meta;
  s.peer = ixn.source_peer;
  return s;
}

entry_edit failed(std::string text) {
  entry_edit e;
  e.error = std::move(text);
  return e;
}

// LegacyNormalize + LegacyValidate (or the config-entry pair), then the entry to store.
entry_edit finish(intentions_entry e, bool legacy, std::string id) {
  normalize(e, legacy);
  if (auto err = validate(e, legacy)) return failed(*err);
  entry_edit out;
  out.put = std::move(e);
  out.id = std::move(id);
  return out;
}

// checkLegacyIntentionApplyAllowed.
std::optional<std::string> legacy_apply_allowed(const intentions_entry& e) {
  for (const auto& s : e.sources)
    if (s.legacy_id.empty())
      return "cannot use legacy intention API to edit intentions with a destination of " + go_quote(e.name) +
             " after editing them via a service-intentions config entry";
  return std::nullopt;
}

}  // namespace

// --- decoding a legacy body (structs.Intention, strict as lib.DecodeJSON) -----------------
// Outside the unnamed namespace so that json_in's field() finds them by argument-dependent lookup.

void assign(const json::value& v, http_header_permission& h, const json_context& ctx) {
  decode_object(v, ctx,
                {field("Name", h.name), field("Present", h.present), field("Exact", h.exact),
                 field("Prefix", h.prefix), field("Suffix", h.suffix), field("Regex", h.regex),
                 field("Invert", h.invert)});
}

void assign(const json::value& v, std::vector<http_header_permission>& out, const json_context& ctx) {
  if (!v.is_array()) throw_type_error(v, ctx, "[]structs.IntentionHTTPHeaderPermission");
  for (const auto& e : v.get_array()) assign(e, out.emplace_back(), ctx);
}

void assign(const json::value& v, std::optional<http_permission>& out, const json_context& ctx) {
  http_permission h;
  decode_object(v, ctx,
                {field("PathExact", h.path_exact), field("PathPrefix", h.path_prefix), field("PathRegex", h.path_regex),
                 field("Header", h.header), field("Methods", h.methods)});
  out = std::move(h);
}

void assign(const json::value& v, std::vector<intention_permission>& out, const json_context& ctx) {
  if (!v.is_array()) throw_type_error(v, ctx, "[]*structs.IntentionPermission");
  for (const auto& e : v.get_array()) {
    intention_permission p;
    decode_object(e, ctx, {field("Action", p.action), field("HTTP", p.http)});
    out.push_back(std::move(p));
  }
}

intention to_intention(const stored_entry& se, const source_intention& src) {
  intention ixn;
  ixn.id = src.legacy_id;
  ixn.description = src.description;
  ixn.source_name = src.name;
  ixn.destination_name = se.entry.name;
  ixn.source_peer = src.peer;
  ixn.source_type = src.type;
  ixn.action = src.action;
  ixn.permissions = src.permissions;
  if (!src.legacy_id.empty())
    ixn.meta = src.legacy_meta ? *src.legacy_meta : std::map<std::string, std::string>{};
  else
    ixn.meta = se.entry.meta;
  ixn.precedence = src.precedence;
  if (src.legacy_create_time) ixn.created_at = *src.legacy_create_time;
  if (src.legacy_update_time) ixn.updated_at = *src.legacy_update_time;
  ixn.create_index = se.create_index;
  ixn.modify_index = se.modify_index;
  return ixn;
}

void sort_by_precedence(std::vector<intention>& ixns) {
  std::stable_sort(ixns.begin(), ixns.end(), [](const intention& a, const intention& b) {
    if (a.precedence != b.precedence) return a.precedence > b.precedence;
    return std::tie(a.source_ns, a.source_name, a.destination_ns, a.destination_name) <
           std::tie(b.source_ns, b.source_name, b.destination_ns, b.destination_name);
  });
}

std::vector<intention> all_intentions(const std::vector<stored_entry>& entries) {
  std::vector<intention> out;
  for (const auto& se : entries)
    for (const auto& src : se.entry.sources) out.push_back(to_intention(se, src));
  sort_by_precedence(out);
  return out;
}

std::vector<intention> match(const std::vector<stored_entry>& entries, match_type by, std::string_view name) {
  std::vector<intention> out;
  for (const auto& se : entries) {
    if (by == match_type::destination) {
      // The name's entry and the "*" entry (getIntentionPrecedenceMatchServiceNames).
      if (se.entry.name != name && se.entry.name != wildcard) continue;
      for (const auto& src : se.entry.sources) out.push_back(to_intention(se, src));
    } else {
      for (const auto& src : se.entry.sources) {
        if (!src.peer.empty()) continue;
        if (src.name == name || src.name == wildcard) out.push_back(to_intention(se, src));
      }
    }
  }
  sort_by_precedence(out);
  return out;
}

std::optional<intention> find_by_id(const std::vector<stored_entry>& entries, std::string_view id) {
  for (const auto& se : entries)
    for (const auto& src : se.entry.sources)
      if (!src.legacy_id.empty() && src.legacy_id == id) return to_intention(se, src);
  return std::nullopt;
}

std::optional<std::string> uuid_lookup_error(std::string_view id) {
  if (id.size() != 36) return "UUID must be 36 characters";
  auto hyphens = std::count(id.begin(), id.end(), '-');
  if (hyphens > 4) return "UUID should have maximum of 4 \"-\"; got " + std::to_string(hyphens);
  // 36 characters with at most 4 hyphens leave an even count only when there are 0, 2 or 4.
  if ((id.size() - static_cast<std::size_t>(hyphens)) % 2 != 0) return "Input (without hyphens) must be even length";
  for (char ch : id) {
    if (ch == '-' || std::isxdigit(static_cast<unsigned char>(ch))) continue;
    auto u = static_cast<unsigned char>(ch);
    char code[8];
    std::snprintf(code, sizeof code, "U+%04X", u);
    std::string name = std::isprint(u) ? std::string(" '") + ch + "'" : std::string();
    return "Invalid UUID: encoding/hex: invalid byte: " + std::string(code) + name;
  }
  return std::nullopt;
}

std::optional<intention> find_exact(const std::vector<stored_entry>& entries, std::string_view source,
                                    std::string_view destination, std::string_view peer) {
  for (const auto& se : entries) {
    if (se.entry.name != destination) continue;
    for (const auto& src : se.entry.sources)
      if (src.peer == peer && src.name == source) return to_intention(se, src);
  }
  return std::nullopt;
}

std::string describe(const intention& ixn) {
  std::string id_part = ixn.id.empty() ? std::string() : "ID: " + ixn.id + ", ";
  std::string src_cluster = ixn.source_peer.empty() ? std::string() : "peer(" + ixn.source_peer + ")/";
  std::string detail = ixn.permissions.empty() ? "Action: " + upper(ixn.action)
                                               : "Permissions: " + std::to_string(ixn.permissions.size());
  return src_cluster + ixn.source_ns + "/" + ixn.source_name + " => " + ixn.destination_ns + "/" +
         ixn.destination_name + " (" + id_part + "Precedence: " + std::to_string(ixn.precedence) + ", " + detail + ")";
}

bool check_allowed(const std::vector<intention>& destination_matches, std::string_view source_ns,
                   std::string_view source_name, bool default_allow) {
  const intention* m = first_source_match(destination_matches, source_ns, source_name);
  if (!m) return default_allow;
  // L7 permissions cannot be judged without a request: Check treats them as deny.
  if (!m->permissions.empty()) return false;
  return m->action == "allow";
}

authorize_result authorize(const std::vector<intention>& target_matches, std::string_view source_ns,
                           std::string_view source_name, bool default_allow) {
  const intention* m = first_source_match(target_matches, source_ns, source_name);
  if (!m) return {default_allow, "Default behavior configured by ACLs"};
  if (m->permissions.empty()) return {m->action == "allow", "Matched L4 intention: " + describe(*m)};
  return {false, "Matched L7 intention: " + describe(*m)};
}

// --- legacy writes -------------------------------------------------------------------------

intention_body decode_intention(std::string_view body, unsigned status, std::string_view prefix) {
  intention_body out;
  intention& x = out.ixn;
  x.source_ns.clear();
  x.destination_ns.clear();
  x.source_type.clear();
  std::string source_partition, destination_partition, default_addr, ignored_text;
  int default_port = 0, precedence = 0;
  std::uint64_t ignored_index = 0;
  std::map<std::string, std::string> meta;
  try {
    json::value v = parse_body(body);
    decode_object(v, json_context{"Intention", ""},
                  {field("ID", x.id), field("Description", x.description), field("SourceNS", x.source_ns),
                   field("SourceName", x.source_name), field("DestinationNS", x.destination_ns),
                   field("DestinationName", x.destination_name), field("SourcePartition", source_partition),
                   field("DestinationPartition", destination_partition), field("SourcePeer", x.source_peer),
                   field("SourceType", x.source_type), field("Action", x.action),
                   field("Permissions", x.permissions), field("DefaultAddr", default_addr),
                   field("DefaultPort", default_port), field("Meta", meta), field("Precedence", precedence),
                   field("CreatedAt", ignored_text), field("UpdatedAt", ignored_text), field("Hash", ignored_text),
                   field("CreateIndex", ignored_index), field("ModifyIndex", ignored_index)});
  } catch (const body_decode_error& e) {
    // The boundary where Go's decoding error becomes the endpoint's answer.
    throw http_error{status, std::string(prefix) + e.what()};
  }
  x.meta = std::move(meta);
  out.has_permissions = !x.permissions.empty();
  out.source_partition = std::move(source_partition);
  out.destination_partition = std::move(destination_partition);
  return out;
}

std::optional<std::string> validate_legacy(const intention& x, bool has_permissions) {
  multi_error errs;
  if (x.source_ns.empty()) errs.add("SourceNS must be set");
  if (x.source_name.empty()) errs.add("SourceName must be set");
  if (x.destination_ns.empty()) errs.add("DestinationNS must be set");
  if (x.destination_name.empty()) errs.add("DestinationName must be set");
  auto partial = [](const std::string& s) { return s != wildcard && s.find('*') != std::string::npos; };
  if (partial(x.source_ns)) errs.add("SourceNS: wildcard character '*' cannot be used with partial values");
  if (x.source_name != wildcard) {
    if (partial(x.source_name))
      errs.add("SourceName: wildcard character '*' cannot be used with partial values");
    if (x.source_ns == wildcard) errs.add("SourceName: exact value cannot follow wildcard namespace");
  }
  if (partial(x.destination_ns))
    errs.add("DestinationNS: wildcard character '*' cannot be used with partial values");
  if (x.destination_name != wildcard) {
    if (partial(x.destination_name))
      errs.add("DestinationName: wildcard character '*' cannot be used with partial values");
    if (x.destination_ns == wildcard) errs.add("DestinationName: exact value cannot follow wildcard namespace");
  }
  if (x.description.size() > 512) errs.add("Description exceeds maximum length 512");
  if (x.meta.size() > 64) errs.add("Meta exceeds maximum element count 64");
  for (const auto& [k, v] : x.meta) {
    if (k.size() > 128) errs.add("Meta key " + go_quote(k) + " exceeds maximum length 128");
    if (v.size() > 512) errs.add("Meta value for key " + go_quote(k) + " exceeds maximum length 512");
  }
  if (x.action != "allow" && x.action != "deny") errs.add("Action must be set to 'allow' or 'deny'");
  if (has_permissions) errs.add("Permissions must not be set when using the legacy APIs");
  if (x.source_type != "consul") errs.add("SourceType must be set to 'consul'");
  if (errs.empty()) return std::nullopt;
  return errs.text();
}

entry_edit legacy_create(const intention_body& body, const intentions_entry* existing, std::string id,
                         const std::string& now) {
  intention x = body.ixn;
  if (!x.id.empty()) return failed("ID must be empty when creating a new intention");
  x.id = id;
  if (x.source_type.empty()) x.source_type = "consul";
  if (auto err = validate_legacy(x, body.has_permissions)) return failed(*err);
  source_intention src = to_source(x, true);
  src.legacy_create_time = now;
  src.legacy_update_time = now;
  intentions_entry e;
  if (existing) {
    if (auto err = legacy_apply_allowed(*existing)) return failed(*err);
    e = *existing;
  } else {
    e.name = x.destination_name;
  }
  e.sources.push_back(std::move(src));
  return finish(std::move(e), true, std::move(id));
}

entry_edit legacy_update(const intention_body& body, const intentions_entry& current, std::string_view id,
                         const std::string& now) {
  intention x = body.ixn;
  x.id = std::string(id);
  if (x.destination_name != current.name)
    return failed("Cannot modify Destination partition/namespace/name for an intention once it exists.");
  if (x.source_type.empty()) x.source_type = "consul";
  if (auto err = validate_legacy(x, body.has_permissions)) return failed(*err);
  if (auto err = legacy_apply_allowed(current)) return failed(*err);
  intentions_entry e = current;
  auto it = std::find_if(e.sources.begin(), e.sources.end(), [&](const auto& s) { return s.legacy_id == id; });
  if (it == e.sources.end()) return failed("Cannot modify non-existent intention: '" + std::string(id) + "'");
  source_intention src = to_source(x, true);
  // UpdateOver keeps the creation time; the update time is now.
  src.legacy_create_time = it->legacy_create_time ? it->legacy_create_time : std::optional<std::string>(now);
  src.legacy_update_time = now;
  *it = std::move(src);
  return finish(std::move(e), true, std::string(id));
}

entry_edit legacy_delete(const intentions_entry& current, std::string_view id) {
  if (auto err = legacy_apply_allowed(current)) return failed(*err);
  intentions_entry e = current;
  auto it = std::find_if(e.sources.begin(), e.sources.end(), [&](const auto& s) { return s.legacy_id == id; });
  if (it == e.sources.end()) return failed("Cannot delete non-existent intention: '" + std::string(id) + "'");
  e.sources.erase(it);
  if (e.sources.empty()) {
    entry_edit out;
    out.erase = e.name;
    return out;
  }
  return finish(std::move(e), true, std::string(id));
}

entry_edit upsert_exact(const intention_body& body, const intentions_entry* existing, std::string_view source,
                        std::string_view destination) {
  intention x = body.ixn;
  x.id.clear();  // the exact API ignores a legacy ID
  x.source_name = exact_name(source);
  x.destination_name = exact_name(destination);
  if (!existing) {
    if (!x.meta.empty()) return failed("Meta must not be specified");
  } else if (!x.meta.empty()) {
    // Meta belongs to the entry: it may only come back unchanged.
    if (x.meta != existing->meta) return failed("Meta must not be specified, or should be unchanged during an update.");
    x.meta.clear();
  }
  source_intention src = to_source(x, false);
  intentions_entry e;
  if (existing) {
    e = *existing;
    auto it = std::find_if(e.sources.begin(), e.sources.end(),
                           [&](const auto& s) { return s.peer.empty() && s.name == source; });
    if (it != e.sources.end())
      *it = std::move(src);
    else
      e.sources.push_back(std::move(src));
  } else {
    e.name = x.destination_name;
    e.sources.push_back(std::move(src));
  }
  return finish(std::move(e), false, std::string());
}

entry_edit delete_exact(const intentions_entry* existing, std::string_view source) {
  entry_edit out;
  if (!existing) return out;
  intentions_entry e = *existing;
  auto it = std::find_if(e.sources.begin(), e.sources.end(),
                         [&](const auto& s) { return s.peer.empty() && s.name == source; });
  if (it == e.sources.end()) return out;  // by-name deletions are idempotent
  e.sources.erase(it);
  if (e.sources.empty()) {
    out.erase = e.name;
    return out;
  }
  return finish(std::move(e), false, std::string());
}

// --- JSON out ------------------------------------------------------------------------------

std::string legacy_hash(const intention& x) {
  blake2b h(32);
  for (const std::string* s : {&x.id, &x.description, &x.source_ns, &x.source_name, &x.destination_ns,
                               &x.destination_name, &x.source_type, &x.action})
    h.update(*s);
  // binary.Write(hash, LittleEndian, uint64(Precedence)).
  auto p = static_cast<std::uint64_t>(static_cast<std::int64_t>(x.precedence));
  std::string le(8, '\0');
  for (int i = 0; i < 8; ++i) le[i] = static_cast<char>((p >> (8 * i)) & 0xff);
  h.update(le);
  for (const auto& [k, v] : x.meta) {  // std::map: already in sorted key order
    h.update(k);
    h.update(v);
  }
  return h.finish();
}

json::object render_intention(const intention& x) {
  // Go's field order behind Intention.MarshalJSON: the non-zero times first.
  json::object o;
  if (!x.created_at.empty()) o["CreatedAt"] = x.created_at;
  if (!x.updated_at.empty()) o["UpdatedAt"] = x.updated_at;
  if (!x.id.empty()) o["ID"] = x.id;
  if (!x.description.empty()) o["Description"] = x.description;
  o["SourceNS"] = x.source_ns;
  o["SourceName"] = x.source_name;
  o["DestinationNS"] = x.destination_ns;
  o["DestinationName"] = x.destination_name;
  if (!x.source_peer.empty()) o["SourcePeer"] = x.source_peer;
  o["SourceType"] = x.source_type;
  if (!x.action.empty()) o["Action"] = x.action;
  if (!x.permissions.empty()) {
    // The same rendering as the entry's (service_intentions.cpp).
    intentions_entry tmp;
    source_intention s;
    s.permissions = x.permissions;
    tmp.sources.push_back(std::move(s));
    json::object rendered = render(tmp);
    o["Permissions"] = rendered["Sources"].as_array()[0].as_object()["Permissions"];
  }
  if (!x.meta.empty()) {
    json::object m;
    for (const auto& [k, v] : x.meta) m[k] = v;
    o["Meta"] = std::move(m);
  }
  o["Precedence"] = x.precedence;
  if (!x.id.empty()) o["Hash"] = core::base64_encode(legacy_hash(x));
  o["CreateIndex"] = x.create_index;
  o["ModifyIndex"] = x.modify_index;
  return o;
}

}  // namespace coconsul::dev::config_entries
