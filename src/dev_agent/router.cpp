#include "dev_agent/router.hpp"

namespace coconsul::dev {

void router::add(std::string pattern, std::vector<std::string> methods, handler_fn handler) {
  routes_.push_back(route{std::move(pattern), std::move(methods), handler});
}

const route* router::find(std::string_view path) const {
  const route* best = nullptr;
  for (const auto& r : routes_) {
    if (r.is_prefix()) {
      if (path.substr(0, r.pattern.size()) == r.pattern && (!best || (best->is_prefix() && r.pattern.size() > best->pattern.size())))
        best = &r;
    } else if (path == r.pattern) {
      return &r;
    }
  }
  return best;
}

}  // namespace coconsul::dev
