// libFuzzer target: the dev agent's ACL write bodies (src/dev_agent/endpoints/acl_decode.hpp:
// token, policy, role, auth method, binding rule) and Go's time text, on any bytes. The first
// byte picks the decoder, the rest is the body. A refusal is a 400 whose text starts with
// Consul's "<Type> decoding failed: ", nothing else escapes; a decoded ExpirationTime writes
// as text that parses back to the same instant; the text of any time that parses writes back
// to text that parses to the same instant, and a UTC time to its own date and time of day.
#include "dev_agent/endpoints/acl_decode.hpp"
#include "dev_agent/http/error.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

namespace {
using namespace coconsul::dev;

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

void round_trips(acl_time t) {
  std::string text = go_time(t);
  auto back = parse_go_time(text);
  if (!back || *back != t) fail("a time that does not read back", text);
}

template <class F>
void decodes_or_refuses(std::string_view prefix, F&& decode) {
  try {
    decode();
  } catch (const http_error& e) {
    if (e.status != 400 || e.reason.rfind(std::string(prefix) + " decoding failed: ", 0) != 0)
      fail("a refusal that is not Consul's 400", e.reason);
  } catch (const std::exception& e) {
    fail("an unexpected exception", e.what());
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0:
      decodes_or_refuses("Token", [&] {
        auto b = decode_acl_token(body);
        if (b.token.expiration_time) round_trips(*b.token.expiration_time);
      });
      break;
    case 1: decodes_or_refuses("Policy", [&] { decode_acl_policy(body); }); break;
    case 2: decodes_or_refuses("Role", [&] { decode_acl_role(body); }); break;
    case 3: decodes_or_refuses("AuthMethod", [&] { decode_acl_auth_method(body); }); break;
    case 4: decodes_or_refuses("BindingRule", [&] { decode_acl_binding_rule(body); }); break;
    default:
      if (auto t = parse_go_time(body)) {
        round_trips(*t);
        // In UTC the date and time of day come back as written (a wrapped-around value would not).
        if (body.back() == 'Z' || body.back() == 'z') {
          std::string in(body.substr(0, 19)), out = go_time(*t).substr(0, 19);
          if (in.size() == 19) in[10] = 'T';
          if (in != out) fail("a UTC time that writes back as another", go_time(*t));
        }
      }
      break;
  }
  return 0;
}
