// JSON, text and empty responses (see responders.hpp).

#include "dev_agent/http/responders.hpp"

#include "dev_agent/http/json_out.hpp"

namespace coconsul::dev {

http_response json_response(const boost::json::value& v, unsigned status) {
  http_response r;
  r.status = status;
  r.set_header("Content-Type", "application/json");
  r.body = render_pretty(v);
  return r;
}

http_response text_response(unsigned status, std::string body) {
  http_response r;
  r.status = status;
  if (!body.empty()) r.set_header("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  return r;
}

http_response empty_response(unsigned status) {
  http_response r;
  r.status = status;
  return r;
}

}  // namespace coconsul::dev
