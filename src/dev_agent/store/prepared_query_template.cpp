// Prepared-query templates (see prepared_query_template.hpp). HIL is a whole language; a
// template's strings use only variables and match(N), so only those are read here, and
// anything else in ${...} is refused at create, as HIL's checker refuses unknown names.

#include "dev_agent/store/prepared_query_template.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace coconsul::dev {
namespace {

// What one ${...} may hold: a variable, or match(N).
struct interpolation {
  std::string variable;     // "name.full", ...; empty for match
  std::optional<long> match;
};

struct piece {
  std::string literal;
  std::optional<interpolation> expr;
};

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

bool known_variable(const std::string& v) {
  return v == "name.full" || v == "name.prefix" || v == "name.suffix" || v == "agent.segment";
}

// Splits a string into literals and interpolations; the error text (HIL's kind of message)
// when it does not parse or names what templates do not have.
std::variant<std::vector<piece>, std::string> parse(std::string_view s) {
  std::vector<piece> out;
  std::string literal;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s.compare(i, 3, "$${") == 0) {
      literal += "${";
      i += 3;
      continue;
    }
    if (s.compare(i, 2, "${") != 0) {
      literal += s[i++];
      continue;
    }
    auto end = s.find('}', i + 2);
    if (end == std::string_view::npos) return std::string("parse error: expected expression end, got end of string");
    std::string body = trim(s.substr(i + 2, end - i - 2));
    interpolation x;
    if (body.rfind("match(", 0) == 0 && body.size() > 7 && body.back() == ')') {
      std::string arg = trim(std::string_view(body).substr(6, body.size() - 7));
      if (arg.empty() || !std::all_of(arg.begin(), arg.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
          arg.size() > 9)
        return "match: argument 1 should be type int, got " + (arg.empty() ? std::string("nothing") : arg);
      x.match = std::stol(arg);
    } else if (body.empty()) {
      return std::string("parse error: expected expression");
    } else if (known_variable(body)) {
      x.variable = body;
    } else if (body.find('(') != std::string::npos) {
      return "unknown function called: " + body.substr(0, body.find('('));
    } else {
      return "unknown variable accessed: " + body;
    }
    out.push_back(piece{std::move(literal), std::move(x)});
    literal.clear();
    i = end + 1;
  }
  if (!literal.empty() || out.empty()) out.push_back(piece{std::move(literal), std::nullopt});
  return out;
}

struct render_scope {
  std::string full, prefix, suffix;
  std::vector<std::string> matches;
};

std::string evaluate(const std::vector<piece>& pieces, const render_scope& scope) {
  std::string out;
  for (const auto& p : pieces) {
    out += p.literal;
    if (!p.expr) continue;
    if (p.expr->match) {
      long n = *p.expr->match;
      if (n >= 0 && static_cast<std::size_t>(n) < scope.matches.size()) out += scope.matches[static_cast<std::size_t>(n)];
    } else if (p.expr->variable == "name.full") {
      out += scope.full;
    } else if (p.expr->variable == "name.prefix") {
      out += scope.prefix;
    } else if (p.expr->variable == "name.suffix") {
      out += scope.suffix;
    }  // agent.segment: no segments in CE
  }
  return out;
}

// walk.go: every string of the Service part with its path (".Service", ".Tags[0]",
// ".NodeMeta[key]"), in the struct's field order.
using visitor = std::function<bool(const std::string& path, std::string& value)>;

bool walk(prepared_query_record::service_query& s, const visitor& fn) {
  auto list = [&](const std::string& path, std::optional<std::vector<std::string>>& v) {
    if (!v) return true;
    for (std::size_t i = 0; i < v->size(); ++i)
      if (!fn(path + "[" + std::to_string(i) + "]", (*v)[i])) return false;
    return true;
  };
  auto map = [&](const std::string& path, std::optional<std::map<std::string, std::string>>& v) {
    if (!v) return true;
    for (auto& [k, value] : *v)
      if (!fn(path + "[" + k + "]", value)) return false;
    return true;
  };
  if (!fn(".Service", s.service)) return false;
  if (!list(".Failover.Datacenters", s.datacenters)) return false;
  if (s.targets)
    for (std::size_t i = 0; i < s.targets->size(); ++i) {
      std::string p = ".Failover.Targets[" + std::to_string(i) + "]";
      if (!fn(p + ".Peer", (*s.targets)[i].peer) || !fn(p + ".Datacenter", (*s.targets)[i].datacenter)) return false;
    }
  if (!list(".IgnoreCheckIDs", s.ignore_check_ids)) return false;
  if (!fn(".Near", s.near)) return false;
  if (!list(".Tags", s.tags)) return false;
  if (!map(".NodeMeta", s.node_meta)) return false;
  if (!map(".ServiceMeta", s.service_meta)) return false;
  return fn(".Peer", s.peer);
}

std::unique_ptr<re2::RE2> compile_regexp(const std::string& pattern, std::string& error) {
  re2::RE2::Options opts;
  opts.set_log_errors(false);
  auto re = std::make_unique<re2::RE2>(pattern, opts);
  if (!re->ok()) {
    error = "Bad Regexp: error parsing regexp: " + re->error();
    return nullptr;
  }
  return re;
}

}  // namespace

std::variant<prepared_query_record, std::string> render_template(const prepared_query_record& tpl, std::string_view name) {
  prepared_query_record q = tpl;
  render_scope scope;
  scope.full = std::string(name);
  scope.prefix = tpl.name;
  scope.suffix = name.substr(0, tpl.name.size()) == tpl.name ? std::string(name.substr(tpl.name.size())) : std::string(name);
  if (!tpl.template_regexp.empty()) {
    std::string error;
    auto re = compile_regexp(tpl.template_regexp, error);
    if (!re) return error;
    const int groups = re->NumberOfCapturingGroups();
    std::vector<re2::StringPiece> sub(static_cast<std::size_t>(groups) + 1);
    // FindStringSubmatch: the leftmost match, unanchored; unmatched groups are "".
    if (re->Match(re2::StringPiece(name.data(), name.size()), 0, name.size(), re2::RE2::UNANCHORED, sub.data(),
                  groups + 1))
      for (const auto& m : sub) scope.matches.emplace_back(m.data() ? std::string(m.data(), m.size()) : std::string());
  }
  std::string error;
  walk(q.service, [&](const std::string& path, std::string& value) {
    auto parsed = parse(value);
    if (auto* e = std::get_if<std::string>(&parsed)) {
      error = "Bad evaluation for '" + value + "' in Service" + path + ": " + *e;
      return false;
    }
    value = evaluate(std::get<std::vector<piece>>(parsed), scope);
    return true;
  });
  if (!error.empty()) return error;
  if (tpl.remove_empty_tags && q.service.tags) {
    auto& tags = *q.service.tags;
    tags.erase(std::remove(tags.begin(), tags.end(), std::string()), tags.end());
  }
  return q;
}

std::string check_template(const prepared_query_record& tpl) {
  if (tpl.template_type != "name_prefix_match") return "Bad Template.Type '" + tpl.template_type + "'";
  prepared_query_record copy = tpl;
  std::string error;
  walk(copy.service, [&](const std::string& path, std::string& value) {
    auto parsed = parse(value);
    auto* e = std::get_if<std::string>(&parsed);
    // Syntax errors are the parser's ("Bad format"); unknown names its checker's, found by
    // the test render below, as Consul finds them.
    if (e && e->rfind("parse error", 0) == 0) {
      error = "Bad format '" + value + "' in Service" + path + ": " + *e;
      return false;
    }
    return true;
  });
  if (!error.empty()) return error;
  if (!tpl.template_regexp.empty() && !compile_regexp(tpl.template_regexp, error)) return error;
  auto rendered = render_template(tpl, tpl.name);
  if (auto* e = std::get_if<std::string>(&rendered)) return *e;
  return {};
}

}  // namespace coconsul::dev
