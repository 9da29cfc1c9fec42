// The denial text as PermissionDeniedError.Error() writes it in Consul 1.14 (the segment in
// plain double quotes, as CE's ResourceDescriptor.ToString does, without escaping).
#include "dev_agent/acl/denied.hpp"

namespace coconsul::dev::acl {

std::string denied_because(std::string_view cause) {
  std::string m(permission_denied);
  m += ": ";
  m += cause;
  return m;
}

std::string denial_text(std::string_view accessor_id, const verdict& v) {
  if (!v.cause.empty()) return denied_because(v.cause);
  std::string m(permission_denied);
  if (accessor_id.empty()) {
    m += ": provided token";
  } else {
    m += ": token with AccessorID '";
    m += accessor_id;
    m += '\'';
  }
  m += " lacks permission '";
  m += resource_name(v.what);
  m += ':';
  m += access_name(v.level);
  m += '\'';
  if (!v.segment.empty()) {
    m += " on \"";
    m += v.segment;
    m += '"';
  }
  return m;
}

}  // namespace coconsul::dev::acl
