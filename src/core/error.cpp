// coconsul's error category and codes, the HTTP status mapping and coconsul::error (see
// include/coconsul/error.hpp).

#include <coconsul/error.hpp>

namespace coconsul {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "coconsul"; }

  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::bad_request: return "Consul refused the request (400 Bad Request)";
      case errc::forbidden: return "permission denied (403 Forbidden)";
      case errc::acl_not_found: return "ACL not found: unknown token or ACL object (403 Forbidden)";
      case errc::not_found: return "not found (404)";
      case errc::method_not_allowed: return "method not allowed (405)";
      case errc::conflict: return "conflict: the transaction was rolled back (409)";
      case errc::payload_too_large: return "request body too large (413)";
      case errc::too_many_requests: return "too many requests (429)";
      case errc::server_error: return "Consul internal error (500)";
      case errc::bad_gateway: return "bad gateway (502)";
      case errc::service_unavailable: return "service unavailable (503)";
      case errc::gateway_timeout: return "gateway timeout (504)";
      case errc::unexpected_status: return "unexpected HTTP status";
      case errc::malformed_response: return "malformed HTTP response";
      case errc::truncated_response: return "the server closed the connection before the response was complete";
      case errc::body_too_large: return "response body exceeds the configured limit";
      case errc::header_too_large: return "response header exceeds the configured limit";
      case errc::decode_error: return "response body is not what Consul documents";
      case errc::invalid_argument: return "invalid argument";
      case errc::invalid_duration: return "invalid duration";
      case errc::invalid_address: return "invalid agent address";
      case errc::invalid_config: return "invalid configuration";
      case errc::connect_timeout: return "connect timed out";
      case errc::request_timeout: return "request timed out";
      case errc::connection_wait_timeout: return "timed out waiting for a free connection (connection limit reached)";
      case errc::connection_failed: return "could not connect to the agent";
      case errc::closed: return "the client was closed";
      case errc::no_endpoints: return "no endpoint to connect to";
      case errc::internal_error: return "internal error in coconsul";
    }
    return "unknown coconsul error " + std::to_string(ev);
  }
};

}  // namespace

const boost::system::error_category& error_category() noexcept {
  static const category_impl instance;
  return instance;
}

errc errc_from_http_status(unsigned status) noexcept {
  switch (status) {
    case 400: return errc::bad_request;
    case 403: return errc::forbidden;
    case 404: return errc::not_found;
    case 405: return errc::method_not_allowed;
    case 409: return errc::conflict;
    case 413: return errc::payload_too_large;
    case 429: return errc::too_many_requests;
    case 500: return errc::server_error;
    case 502: return errc::bad_gateway;
    case 503: return errc::service_unavailable;
    case 504: return errc::gateway_timeout;
    default: return errc::unexpected_status;
  }
}

namespace {
std::string what_of(error_code ec, const diagnostics& diag) {
  std::string s = ec.message();
  if (diag.http_status != 0 && ec.category() == error_category() &&
      static_cast<errc>(ec.value()) == errc::unexpected_status) {
    s += ' ';  // appended piecewise: gcc 12 warns falsely (-Wrestrict) on "lit" + string&&
    s += std::to_string(diag.http_status);
  }
  if (!diag.message.empty()) {
    s += ": ";
    s += diag.message;
  }
  return s;
}
}  // namespace

error::error(error_code ec, diagnostics diag)
    : boost::system::system_error(ec), diag_(std::move(diag)), what_(what_of(ec, diag_)) {}

void throw_if(error_code ec, const diagnostics& diag) {
  if (ec) throw error(ec, diag);
}

}  // namespace coconsul
