#pragma once
// Consul's ?filter expressions (hashicorp/go-bexpr) over the JSON a response renders:
//   Sel == V, Sel != V, V in Sel, V not in Sel, Sel contains V, Sel not contains V,
//   Sel is empty, Sel is not empty, Sel matches "re", Sel not matches "re", and, or, not, ( ).
// Selectors are dotted field names ("Service.Tags", "Meta.env", "Checks.Status"); a selector
// that crosses a list applies to each element. Anything else is a 400 that says what was wrong.
// Parsing and evaluation use no recursion: nesting is bounded by core::max_nesting_depth, and
// `matches` is Go's regexp (regex.hpp).

#include "dev_agent/http/message.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace coconsul::dev {

enum class filter_target { agent_service, health_check, catalog_service_node, service_entry, node, session, other };

class filter {
 public:
  struct program;
  explicit filter(std::shared_ptr<const program> p) : program_(std::move(p)) {}
  // Throws http_error 400 when a selector names no field.
  bool matches(const boost::json::value& v) const;

  // The work done, in steps, so tests bound it instead of timing it. Parsing counts a step per
  // token read and per operator applied; matching one per node visited and per value a
  // selector reaches. Both are linear in the expression's length (and the record's size).
  std::size_t parse_steps() const;
  bool matches(const boost::json::value& v, std::size_t& steps) const;

 private:
  std::shared_ptr<const program> program_;
};

// Parses the request's ?filter; nullopt when there is none. Throws http_error 400 on a syntax
// error.
std::optional<filter> compile_filter(const http_request& req, filter_target target);

// Parses an expression (exposed for unit tests). Throws http_error 400.
filter parse_filter(const std::string& expression);

}  // namespace coconsul::dev
