#pragma once
// The syntax tree both rule front ends produce (rules_hcl.cpp, rules_json.cpp) and the decoder
// reads (rules_decode.cpp): HCL v1's ast (ObjectList, ObjectItem, ObjectType, ListType,
// LiteralType) reduced to what decoding rules needs. Internal to acl/.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconsul::dev::acl::hcl {

// A source position; line 0 is "no position" (the JSON front end keeps none, like HCL's).
struct pos {
  int line = 0;
  int column = 0;
  std::string text() const;  // "3:7", or "-" without a position (HCL's token.Pos.String)
};

enum class literal_kind { number, float_, boolean, string, heredoc };

struct node;

// One `keys... = value` or `keys... { ... }`: HCL's ObjectItem.
struct item {
  std::vector<std::string> keys;  // decoded key texts
  std::vector<pos> key_pos;
  std::vector<node> value;        // exactly one node (a vector: node is incomplete here)
};

// A value: HCL's LiteralType, ObjectType (its ObjectList) or ListType.
struct node {
  enum class kind { literal, object, list } k = kind::literal;
  pos at;                       // the literal's token, the '{' or the '['
  literal_kind lit = literal_kind::string;
  std::string text;             // literal: the token text as written (numbers, bools)
  std::string value;            // literal: the decoded string value (strings, heredocs)
  std::vector<item> items;      // object
  std::vector<node> elements;   // list
};

// A parse result: the root object list or HCL's error text (without "Failed to parse...").
struct parsed {
  std::vector<item> root;
  std::string error;
  bool ok() const { return error.empty(); }
};

parsed parse_hcl(std::string_view text);
// The JSON form, flattened as HCL's JSON parser does: `{"key":{"a":{"policy":"read"}}}` reads
// as `key "a" { policy = "read" }`, and a list of objects as repeated items.
parsed parse_json(std::string_view text);
// A quoted string token's value: HCL's unquoting, or Go's strconv.Unquote for JSON.
std::optional<std::string> unquote(std::string_view quoted, bool json);
// Appends the code point `r` as UTF-8 (the unquoting's \u escapes, and Go's %q when quoting).
void append_utf8(std::string& out, char32_t r);
}  // namespace coconsul::dev::acl::hcl
