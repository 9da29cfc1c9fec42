#pragma once
// The compiled form of a ?filter expression, shared by its parser (filter_parse.cpp) and its
// evaluator (filter.cpp): a flat list of nodes that refer to each other by index, so neither
// building, evaluating nor destroying a deep expression recurses.

#include "dev_agent/endpoints/filter.hpp"
#include "dev_agent/endpoints/regex.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coconsul::dev {

enum class filter_op { and_, or_, not_, eq, ne, in, not_in, contains, not_contains, empty, not_empty, matches, not_matches };

struct filter::program {
  struct node {
    filter_op kind;
    std::vector<std::uint32_t> kids;    // and_, or_: two or more, evaluated in order; not_: one
    std::vector<std::string> selector;  // the others: the dotted selector, split
    std::string value;
    std::optional<consul_regex> re;     // matches, not_matches: compiled once
  };
  std::vector<node> nodes;
  std::uint32_t root = 0;
  std::size_t parse_steps = 0;  // see filter::parse_steps()
};

}  // namespace coconsul::dev
