// Evaluating ?filter expressions (see filter.hpp; the parser is filter_parse.cpp): the
// selectors' fan-out over the JSON a response renders, and the node list walked with an
// explicit stack.

#include "dev_agent/endpoints/filter_program.hpp"
#include "dev_agent/http/error.hpp"

#include <boost/json/serialize.hpp>

#include <set>
#include <vector>

namespace coconsul::dev {
namespace json = boost::json;

namespace {

const std::string error_prefix = "Failed to create boolean expression evaluator: ";
using node = filter::program::node;

std::string join(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : ".") + p;
  return s;
}

const std::set<std::string> map_fields = {"Meta", "NodeMeta", "ServiceMeta", "TaggedAddresses",
                                          "ServiceTaggedAddresses", "Header", "Tags"};

// Collects what the selector reaches; lists fan out. Returns false when a field is unknown.
bool select(const json::value& v, const std::vector<std::string>& path, std::size_t i, bool in_map,
            std::vector<const json::value*>& out, std::size_t& steps) {
  ++steps;
  if (i == path.size()) {
    out.push_back(&v);
    return true;
  }
  if (v.is_array()) {
    bool ok = true;
    for (const auto& e : v.get_array()) ok = select(e, path, i, in_map, out, steps) && ok;
    return ok;
  }
  if (v.is_object()) {
    const auto& o = v.get_object();
    auto it = o.find(path[i]);
    if (it == o.end()) {
      if (in_map) return true;  // a missing map key selects nothing
      return false;
    }
    return select(it->value(), path, i + 1, map_fields.count(path[i]) > 0, out, steps);
  }
  return in_map;
}

std::string scalar_text(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string: return std::string(v.get_string());
    case json::kind::bool_: return v.get_bool() ? "true" : "false";
    case json::kind::int64: return std::to_string(v.get_int64());
    case json::kind::uint64: return std::to_string(v.get_uint64());
    case json::kind::double_: return json::serialize(v);
    default: return "";
  }
}

bool is_empty(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return true;
    case json::kind::string: return v.get_string().empty();
    case json::kind::array: return v.get_array().empty();
    case json::kind::object: return v.get_object().empty();
    default: return false;
  }
}

bool contains(const json::value& v, const std::string& value) {
  if (v.is_array()) {
    for (const auto& e : v.get_array())
      if (scalar_text(e) == value) return true;
    return false;
  }
  if (v.is_object()) return v.get_object().contains(value);
  if (v.is_string()) return std::string_view(v.get_string()).find(value) != std::string_view::npos;
  return false;
}

bool eval_match(const node& n, const json::value& v, std::size_t& steps) {
  std::vector<const json::value*> hits;
  if (!select(v, n.selector, 0, false, hits, steps))
    throw http_error{400, error_prefix + "Selector \"" + join(n.selector) + "\" is not valid"};
  auto any = [&](auto pred) {
    for (const auto* h : hits)
      if (pred(*h)) return true;
    return false;
  };
  auto equal = [&](const json::value& h) { return !h.is_structured() && scalar_text(h) == n.value; };
  auto holds = [&](const json::value& h) { return contains(h, n.value); };
  auto matches = [&](const json::value& h) { return h.is_string() && n.re->search(h.get_string()); };
  auto non_empty = [](const json::value& h) { return !is_empty(h); };
  switch (n.kind) {
    case filter_op::eq: return any(equal);
    case filter_op::ne: return !any(equal);
    case filter_op::in:
    case filter_op::contains: return any(holds);
    case filter_op::not_in:
    case filter_op::not_contains: return !any(holds);
    case filter_op::empty: return !any(non_empty);
    case filter_op::not_empty: return any(non_empty);
    case filter_op::matches: return any(matches);
    case filter_op::not_matches: return !any(matches);
    default: return false;
  }
}

// Left to right with short-circuits, as go-bexpr evaluates: a frame per open and/or/not.
bool eval(const filter::program& p, const json::value& v, std::size_t& steps) {
  struct frame {
    std::uint32_t node;
    std::uint32_t next_kid;
  };
  std::vector<frame> stack{{p.root, 0}};
  bool last = false;  // the value of the node finished last
  while (!stack.empty()) {
    ++steps;
    frame& f = stack.back();
    const node& n = p.nodes[f.node];
    if (n.kind == filter_op::and_ || n.kind == filter_op::or_) {
      const bool decided = f.next_kid > 0 && last == (n.kind == filter_op::or_);
      if (decided || f.next_kid == n.kids.size()) {
        stack.pop_back();
      } else {
        const std::uint32_t kid = n.kids[f.next_kid++];
        stack.push_back({kid, 0});
      }
    } else if (n.kind == filter_op::not_) {
      if (f.next_kid == 0) {
        f.next_kid = 1;
        const std::uint32_t kid = n.kids[0];
        stack.push_back({kid, 0});
      } else {
        last = !last;
        stack.pop_back();
      }
    } else {
      last = eval_match(n, v, steps);
      stack.pop_back();
    }
  }
  return last;
}

}  // namespace

bool filter::matches(const json::value& v) const {
  std::size_t steps = 0;
  return eval(*program_, v, steps);
}

bool filter::matches(const json::value& v, std::size_t& steps) const { return eval(*program_, v, steps); }

std::size_t filter::parse_steps() const { return program_->parse_steps; }

std::optional<filter> compile_filter(const http_request& req, filter_target) {
  auto text = req.query.get("filter");
  if (!text || text->empty()) return std::nullopt;
  return parse_filter(*text);
}

}  // namespace coconsul::dev
