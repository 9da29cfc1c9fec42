#pragma once
// Building responses the way Consul's HTTP layer does: pretty JSON in dev mode, plain-text
// bodies, empty bodies. Nothing of Consul's API here, only its formatting.

#include "dev_agent/http/message.hpp"

#include <boost/json/value.hpp>

#include <string>

namespace coconsul::dev {

// `status` (200 by default) with `v` as JSON (dev mode always pretty-prints, like Consul's -dev).
http_response json_response(const boost::json::value& v, unsigned status = 200);
// `status` with a plain-text body.
http_response text_response(unsigned status, std::string body);
// `status` (200 by default) with an empty body: Consul's "nil, nil" handlers.
http_response empty_response(unsigned status = 200);

}  // namespace coconsul::dev
