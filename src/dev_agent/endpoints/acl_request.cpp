// request_acl: a request's token resolved and compiled into an authorizer (see acl_request.hpp).

#include "dev_agent/endpoints/acl_request.hpp"

#include "dev_agent/acl/denied.hpp"
#include "dev_agent/endpoints/acl_token_source.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/http/error.hpp"

#include <variant>

namespace coconsul::dev {

const request_acl& request_acl::management() {
  static const request_acl everything = [] {
    request_acl r;
    r.authz_ = acl::authorizer::manage_all();
    return r;
  }();
  return everything;
}

void request_acl::resolve() const {
  const endpoint_context& c = *agent_;
  if (c.controls.acl_enabled) secret_ = request_secret(*req_, c.controls);
  auto resolved = c.acl.authorize(secret_, c.controls);
  if (auto* failure = std::get_if<std::string>(&resolved)) throw http_error{403, *failure};
  auto& token = std::get<acl::resolved_token>(resolved);
  accessor_ = std::move(token.accessor_id);
  authz_ = std::move(token.authz);
}

const acl::authorizer& request_acl::authz() const {
  if (!authz_) resolve();
  return *authz_;
}

const std::string& request_acl::accessor_id() const {
  authz();
  return accessor_;
}

const std::string& request_acl::secret() const {
  authz();
  return secret_;
}

void request_acl::require(const acl::verdict& v) const {
  if (!v) throw http_error{403, acl::denial_text(accessor_id(), v)};
}

bool request_acl::visible(const acl::verdict& v) const {
  if (!v) filtered_ = true;
  return v.allowed;
}

}  // namespace coconsul::dev
