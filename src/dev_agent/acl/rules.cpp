// parse_rules: HCL or JSON (JSON when the first non-space is '{', as HCL's lexMode), decoded as
// hcl.Decode fills acl.PolicyRules (names in any case, last value wins, unknown keys and CE's
// namespace/partition blocks ignored), then checked with PolicyRules.Validate's texts.
#include "dev_agent/acl/rules.hpp"

#include "dev_agent/acl/rules_ast.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev::acl {

std::string rules_too_deep() { return "rules exceed max depth of " + std::to_string(max_rules_depth); }

std::string rules_error::consul_text() const {
  return parse_error ? "Failed to parse ACL rules: " + message : message;
}

namespace {

using hcl::item;
using hcl::node;
using hcl::pos;

// What the decoder walks: HCL's ObjectList / ObjectItem / value nodes as views of the tree,
// with the keys a Filter() already consumed skipped (nothing is copied).
struct view_item {
  const item* it = nullptr;
  std::size_t skip = 0;
  std::size_t key_count() const { return it->keys.size() - skip; }
  const std::string& key(std::size_t i) const { return it->keys[skip + i]; }
  pos key_pos(std::size_t i) const { return it->key_pos[skip + i]; }
  const node& value() const { return it->value.front(); }
};
using view_list = std::vector<view_item>;

// The Go rule struct a list decodes into: its label field's name and whether it has Intentions.
enum class rule_type { agent, key, node, service, session, event, query };

const char* label_field(rule_type t) {
  switch (t) {
    case rule_type::agent:
    case rule_type::session: return "Node";
    case rule_type::key:
    case rule_type::query: return "Prefix";
    case rule_type::event: return "Event";
    case rule_type::node:
    case rule_type::service: return "Name";
  }
  return "Name";
}

bool equal_fold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto l = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (l(a[i]) != l(b[i])) return false;
  }
  return true;
}

view_list items_of(const node& object) {
  view_list out;
  for (const auto& it : object.items) out.push_back({&it, 0});
  return out;
}

// HCL's ObjectList.Filter(name): the items whose next key is `name`, that key consumed;
// `children` keep more keys (labelled blocks), `exact` keep none (attributes, bare blocks).
void filter(const view_list& list, std::string_view name, view_list& children, view_list& exact) {
  for (const auto& v : list) {
    if (v.key_count() < 1 || !equal_fold(v.key(0), name)) continue;
    view_item stripped{v.it, v.skip + 1};
    (stripped.key_count() > 0 ? children : exact).push_back(stripped);
  }
}

pos list_pos(const view_list& l) { return l.empty() ? pos{} : l.front().key_pos(0); }

std::string pos_error(pos p, const std::string& msg) { return "At " + p.text() + ": " + msg; }

// What HCL decodes from: a list, an item (maybe the synthetic one expandObject makes) or a
// value node. An object value is read as its list, as HCL does before decoding.
struct source {
  enum class kind { list, item, value } k = kind::value;
  view_list list;
  view_item it;
  bool expanded = false;  // expandObject's item: key(0) labels a block holding `it` minus key(0)
  const node* value = nullptr;
};

source from_node(const node& n) {
  source s;
  if (n.k == node::kind::object) {
    s.k = source::kind::list;
    s.list = items_of(n);
  } else {
    s.k = source::kind::value;
    s.value = &n;
  }
  return s;
}

const char* go_type(const source& s) {
  if (s.k == source::kind::list) return "*ast.ObjectList";
  if (s.k == source::kind::item) return "*ast.ObjectItem";
  return s.value->k == node::kind::list ? "*ast.ListType" : "*ast.LiteralType";
}

pos source_pos(const source& s) {
  if (s.k == source::kind::list) return list_pos(s.list);
  if (s.k == source::kind::item) return s.it.key_pos(0);
  return s.value->at;
}

// decodeString: literals only; numbers and bools as written.
std::optional<std::string> decode_string(const std::string& name, const source& s, std::string& out) {
  if (s.k == source::kind::value && s.value->k == node::kind::literal) {
    const auto& n = *s.value;
    out = (n.lit == hcl::literal_kind::string || n.lit == hcl::literal_kind::heredoc) ? n.value : n.text;
    return std::nullopt;
  }
  return pos_error(source_pos(s), name + ": unknown type for string " + go_type(s));
}

// A struct field fed from the items of `list` named `field`: labelled ones first, then each
// exact one (an object's items as a list), as HCL's decodeStruct does.
template <class Decode>
std::optional<std::string> decode_field(const view_list& list, std::string_view field, const std::string& path, Decode&& decode) {
  view_list children, exact;
  filter(list, field, children, exact);
  if (children.empty() && exact.empty()) return std::nullopt;
  const std::string name = path + "." + std::string(field);
  if (!children.empty()) {
    source s;
    s.k = source::kind::list;
    s.list = std::move(children);
    if (auto e = decode(name, s)) return e;
  }
  for (const auto& m : exact) {
    if (auto e = decode(name, from_node(m.value()))) return e;
  }
  return std::nullopt;
}

// decodeStruct into a rule (AgentRule, KeyRule, ServiceRule, ...): the label is the item's
// first key, `Policy` and `Intentions` are attributes (any case) of its block.
std::optional<std::string> decode_rule(const std::string& name, const source& in, rule_type type, rule& out) {
  const bool service = type == rule_type::service;
  const view_item* item_ptr = nullptr;
  source body;
  view_list synthetic;
  if (in.k == source::kind::item) {
    item_ptr = &in.it;
    if (in.expanded) {
      synthetic.push_back({in.it.it, in.it.skip + 1});
      body.k = source::kind::list;
      body.list = synthetic;
    } else {
      body = from_node(in.it.value());
      // A literal-valued item is read as a list holding that item.
      if (body.k == source::kind::value && body.value->k == node::kind::literal) {
        body.k = source::kind::list;
        body.list = {in.it};
      }
    }
  } else {
    body = in;
  }
  if (body.k != source::kind::list) {
    return pos_error(source_pos(body), name + ": not an object type for struct (" + go_type(body) + ")");
  }
  // The label field comes first in every rule struct.
  if (!item_ptr) return pos_error(list_pos(body.list), name + ": " + label_field(type) + " asked for 'key', impossible");
  out.name = item_ptr->key_count() > 0 ? item_ptr->key(0) : std::string();
  auto into = [](std::string& target) {
    return [&target](const std::string& n, const source& s) { return decode_string(n, s, target); };
  };
  if (auto e = decode_field(body.list, "Policy", name, into(out.policy))) return e;
  if (service) {
    if (auto e = decode_field(body.list, "Intentions", name, into(out.intentions))) return e;
  }
  return std::nullopt;
}

// decodeSlice into []*Rule: a list's items, an object's items, or a list value's elements;
// an item with exactly two keys is first expanded into a labelled block (expandObject).
std::optional<std::string> decode_rules(const std::string& name, const source& s, rule_type type, std::vector<rule>& out) {
  std::vector<source> elements;
  if (s.k == source::kind::list) {
    for (const auto& v : s.list) {
      source e;
      e.k = source::kind::item;
      e.it = v;
      e.expanded = v.key_count() == 2;
      elements.push_back(std::move(e));
    }
  } else if (s.k == source::kind::value && s.value->k == node::kind::list) {
    for (const auto& n : s.value->elements) elements.push_back(from_node(n));
  } else {
    return pos_error(source_pos(s), std::string("unknown slice type: ") + go_type(s));
  }
  for (std::size_t i = 0; i < elements.size(); ++i) {
    rule r;
    if (auto e = decode_rule(name + "[" + std::to_string(i) + "]", elements[i], type, r)) return e;
    out.push_back(std::move(r));
  }
  return std::nullopt;
}

// The root: acl.PolicyRules's fields in their declaration order (the first error wins).
std::optional<std::string> decode_policy(const view_list& root, policy_rules& p) {
  auto text = [&](std::string_view field, std::string& target) {
    return decode_field(root, field, "root", [&target](const std::string& n, const source& s) { return decode_string(n, s, target); });
  };
  auto rules = [&](std::string_view field, std::vector<rule>& target, rule_type type) {
    return decode_field(root, field, "root", [&target, type](const std::string& n, const source& s) { return decode_rules(n, s, type, target); });
  };
  if (auto e = text("acl", p.acl)) return e;
  if (auto e = rules("agent", p.agents, rule_type::agent)) return e;
  if (auto e = rules("agent_prefix", p.agent_prefixes, rule_type::agent)) return e;
  if (auto e = rules("key", p.keys, rule_type::key)) return e;
  if (auto e = rules("key_prefix", p.key_prefixes, rule_type::key)) return e;
  if (auto e = rules("node", p.nodes, rule_type::node)) return e;
  if (auto e = rules("node_prefix", p.node_prefixes, rule_type::node)) return e;
  if (auto e = rules("service", p.services, rule_type::service)) return e;
  if (auto e = rules("service_prefix", p.service_prefixes, rule_type::service)) return e;
  if (auto e = rules("session", p.sessions, rule_type::session)) return e;
  if (auto e = rules("session_prefix", p.session_prefixes, rule_type::session)) return e;
  if (auto e = rules("event", p.events, rule_type::event)) return e;
  if (auto e = rules("event_prefix", p.event_prefixes, rule_type::event)) return e;
  if (auto e = rules("query", p.queries, rule_type::query)) return e;
  if (auto e = rules("query_prefix", p.query_prefixes, rule_type::query)) return e;
  if (auto e = text("keyring", p.keyring)) return e;
  if (auto e = text("operator", p.operator_)) return e;
  if (auto e = text("mesh", p.mesh)) return e;
  if (auto e = text("peering", p.peering)) return e;
  return std::nullopt;
}

// ---- Validation (acl/policy.go PolicyRules.Validate) -------------------------------------

// Go's strconv.Quote, which %#v uses for strings: printable runes kept, the rest escaped.
// Printability outside ASCII is approximated (C1 controls, U+00AD and U+2028/9 are escaped).
std::string go_quote(std::string_view s) {
  static const char* hex = "0123456789abcdef";
  std::string out = "\"";
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    char32_t r = b0;
    std::size_t n = 1;
    bool valid = true;
    if (b0 >= 0x80) {
      char32_t min = 0;
      if ((b0 & 0xE0) == 0xC0) { n = 2; r = b0 & 0x1F; min = 0x80; }
      else if ((b0 & 0xF0) == 0xE0) { n = 3; r = b0 & 0x0F; min = 0x800; }
      else if ((b0 & 0xF8) == 0xF0) { n = 4; r = b0 & 0x07; min = 0x10000; }
      else valid = false;
      if (valid && i + n > s.size()) valid = false;
      for (std::size_t k = 1; valid && k < n; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) valid = false;
        r = (r << 6) | (b & 0x3F);
      }
      if (valid && (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))) valid = false;
    }
    if (!valid) {
      out += "\\x";
      out += hex[b0 >> 4];
      out += hex[b0 & 15];
      i += 1;
      continue;
    }
    i += n;
    switch (r) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\a': out += "\\a"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\v': out += "\\v"; continue;
      default: break;
    }
    if (r < 0x20 || r == 0x7f) {
      out += "\\x";
      out += hex[r >> 4];
      out += hex[r & 15];
    } else if ((r >= 0x80 && r < 0xA0) || r == 0xAD || r == 0x2028 || r == 0x2029 || r == 0xFEFF) {
      out += "\\u";
      for (int sh = 12; sh >= 0; sh -= 4) out += hex[(r >> sh) & 15];
    } else {
      hcl::append_utf8(out, r);
    }
  }
  out += '"';
  return out;
}

// %#v of the rule pointer in Consul's message, per Go type.

std::string go_value(rule_type t, const rule& r) {
  switch (t) {
    case rule_type::agent: return "&acl.AgentRule{Node:" + go_quote(r.name) + ", Policy:" + go_quote(r.policy) + "}";
    case rule_type::key: return "&acl.KeyRule{Prefix:" + go_quote(r.name) + ", Policy:" + go_quote(r.policy) + ", EnterpriseRule:acl.EnterpriseRule{}}";
    case rule_type::node: return "&acl.NodeRule{Name:" + go_quote(r.name) + ", Policy:" + go_quote(r.policy) + ", EnterpriseRule:acl.EnterpriseRule{}}";
    case rule_type::service:
      return "&acl.ServiceRule{Name:" + go_quote(r.name) + ", Policy:" + go_quote(r.policy) + ", Intentions:" + go_quote(r.intentions) + ", EnterpriseRule:acl.EnterpriseRule{}}";
    case rule_type::session: return "&acl.SessionRule{Node:" + go_quote(r.name) + ", Policy:" + go_quote(r.policy) + "}";
    case rule_type::event: return "&acl.EventRule{Event:" + go_quote(r.name) + ", Policy:" + go_quote(r.policy) + "}";
    case rule_type::query: return "&acl.PreparedQueryRule{Prefix:" + go_quote(r.name) + ", Policy:" + go_quote(r.policy) + "}";
  }
  return {};
}

bool valid_level(std::string_view level, bool allow_list) {
  const access a = access_from_string(level);
  return a != access::unknown && (allow_list || a != access::list);
}

std::optional<std::string> validate(const policy_rules& p) {
  if (!p.acl.empty() && !valid_level(p.acl, false)) return "Invalid acl policy: " + go_quote(p.acl);
  struct kind {
    const std::vector<rule>* rules;
    const char* what;
    rule_type type;
    bool allow_list;
  };
  const kind kinds[] = {
      {&p.agents, "agent", rule_type::agent, false},          {&p.agent_prefixes, "agent_prefix", rule_type::agent, false},
      {&p.keys, "key", rule_type::key, true},                 {&p.key_prefixes, "key_prefix", rule_type::key, true},
      {&p.nodes, "node", rule_type::node, false},             {&p.node_prefixes, "node_prefix", rule_type::node, false},
      {&p.services, "service", rule_type::service, false},    {&p.service_prefixes, "service_prefix", rule_type::service, false},
      {&p.sessions, "session", rule_type::session, false},    {&p.session_prefixes, "session_prefix", rule_type::session, false},
      {&p.events, "event", rule_type::event, false},          {&p.event_prefixes, "event_prefix", rule_type::event, false},
      {&p.queries, "query", rule_type::query, false},         {&p.query_prefixes, "query_prefix", rule_type::query, false},
  };
  for (const auto& k : kinds) {
    for (const auto& r : *k.rules) {
      if (!valid_level(r.policy, k.allow_list)) return std::string("Invalid ") + k.what + " policy: " + go_value(k.type, r);
      if (k.type == rule_type::service && !r.intentions.empty() && !valid_level(r.intentions, false))
        return std::string("Invalid ") + k.what + " intentions policy: " + go_value(k.type, r);
    }
  }
  if (!p.keyring.empty() && !valid_level(p.keyring, false)) return "Invalid keyring policy: " + go_quote(p.keyring);
  if (!p.operator_.empty() && !valid_level(p.operator_, false)) return "Invalid operator policy: " + go_quote(p.operator_);
  if (!p.mesh.empty() && !valid_level(p.mesh, false)) return "Invalid mesh policy: " + go_quote(p.mesh);
  if (!p.peering.empty() && !valid_level(p.peering, false)) return "Invalid peering policy: " + go_quote(p.peering);
  return std::nullopt;
}

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

}  // namespace

rules_result parse_rules(std::string_view text) {
  if (text.empty()) return policy_rules{};
  if (text.size() > max_rules_bytes) {
    return rules_error{"rules are " + std::to_string(text.size()) + " bytes, more than the " + std::to_string(max_rules_bytes) + " accepted", true};
  }
  std::size_t first = 0;
  while (first < text.size() && is_space(static_cast<unsigned char>(text[first]))) ++first;
  const bool json = first < text.size() && text[first] == '{';
  hcl::parsed tree = json ? hcl::parse_json(text) : hcl::parse_hcl(text);
  if (!tree.ok()) return rules_error{std::move(tree.error), true};
  view_list root;
  for (const auto& it : tree.root) root.push_back({&it, 0});
  policy_rules p;
  if (auto e = decode_policy(root, p)) return rules_error{std::move(*e), true};
  if (auto e = validate(p)) return rules_error{std::move(*e), false};
  return p;
}

}  // namespace coconsul::dev::acl
