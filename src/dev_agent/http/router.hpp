#pragma once
// Routes like Consul's HTTP mux: exact paths, and prefixes ending in '/' (the longest wins);
// each route lists its methods, so anything else is a 405 with an Allow header. The handler
// type is the caller's: the router knows nothing of what a handler needs.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coconsul::dev {

template <class Handler>
class router {
 public:
  struct route {
    std::string pattern;  // "/v1/kv/" (prefix) or "/v1/agent/services" (exact)
    std::vector<std::string> methods;
    Handler handler;
    // "/" alone is exact: unlike Go's mux, the caller answers unknown paths itself.
    bool is_prefix() const { return pattern.size() > 1 && pattern.back() == '/'; }
  };

  void add(std::string pattern, std::vector<std::string> methods, Handler handler) {
    routes_.push_back(route{std::move(pattern), std::move(methods), std::move(handler)});
  }

  // The exact route for `path`, else the longest prefix route that matches, else null.
  const route* find(std::string_view path) const {
    const route* best = nullptr;
    for (const auto& r : routes_) {
      if (r.is_prefix()) {
        if (path.substr(0, r.pattern.size()) == r.pattern &&
            (!best || (best->is_prefix() && r.pattern.size() > best->pattern.size())))
          best = &r;
      } else if (path == r.pattern) {
        return &r;
      }
    }
    return best;
  }

 private:
  std::vector<route> routes_;
};

}  // namespace coconsul::dev
