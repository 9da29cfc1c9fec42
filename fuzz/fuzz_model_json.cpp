// libFuzzer target: the model JSON decoders (include/coconsul/json.hpp). Any input decodes or
// fails cleanly; what decodes, encodes and decodes again to the same encoding (both modes).
#include <coconsul/json.hpp>
#include <coconsul/model/agent.hpp>
#include <coconsul/model/catalog.hpp>
#include <coconsul/model/check.hpp>
#include <coconsul/model/event.hpp>
#include <coconsul/model/health.hpp>
#include <coconsul/model/kv.hpp>
#include <coconsul/model/service.hpp>
#include <coconsul/model/session.hpp>
#include <coconsul/model/txn.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace {

[[noreturn]] void disagree(const char* what, const std::string& a, const std::string& b) {
  std::fprintf(stderr, "round trip disagrees (%s):\n  first:  %s\n  second: %s\n", what, a.c_str(), b.c_str());
  std::abort();
}

template <class T>
void round_trip(std::string_view body) {
  T first{};
  coconsul::diagnostics diag;
  if (coconsul::decode_json(body, first, diag)) {
    if (diag.message.empty()) disagree("a failure without a message", std::string(body), "");
    return;
  }
  for (auto mode : {coconsul::encode_mode::all_fields, coconsul::encode_mode::omit_empty}) {
    const std::string encoded = coconsul::encode_json(first, mode);
    T second{};
    if (coconsul::decode_json(encoded, second, diag)) disagree("our own encoding does not decode", encoded, diag.message);
    const std::string again = coconsul::encode_json(second, mode);
    if (again != encoded) disagree("decode -> encode -> decode", encoded, again);
  }
}

template <class T>
void each_shape(std::string_view body) {
  round_trip<T>(body);
  round_trip<std::vector<T>>(body);
  round_trip<std::map<std::string, T>>(body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  each_shape<coconsul::weights>(body);
  each_shape<coconsul::service_address>(body);
  each_shape<coconsul::service_check>(body);
  each_shape<coconsul::service_registration>(body);
  each_shape<coconsul::agent_service>(body);
  each_shape<coconsul::health_check_definition>(body);
  each_shape<coconsul::health_check>(body);
  each_shape<coconsul::agent_check>(body);
  each_shape<coconsul::check_registration>(body);
  each_shape<coconsul::check_update>(body);
  each_shape<coconsul::service_entry>(body);
  each_shape<coconsul::agent_service_health>(body);
  each_shape<coconsul::member>(body);
  each_shape<coconsul::agent_config>(body);
  each_shape<coconsul::agent_self>(body);
  each_shape<coconsul::node>(body);
  each_shape<coconsul::catalog_service>(body);
  each_shape<coconsul::catalog_node>(body);
  each_shape<coconsul::catalog_registration>(body);
  each_shape<coconsul::catalog_deregistration>(body);
  each_shape<coconsul::kv_pair>(body);
  each_shape<coconsul::session_service_check>(body);
  each_shape<coconsul::session>(body);
  each_shape<coconsul::session_create_request>(body);
  each_shape<coconsul::session_create_response>(body);
  each_shape<coconsul::user_event>(body);
  each_shape<coconsul::txn_kv_op>(body);
  each_shape<coconsul::txn_op>(body);
  each_shape<coconsul::txn_result>(body);
  each_shape<coconsul::txn_error>(body);
  each_shape<coconsul::txn_response>(body);
  each_shape<std::string>(body);
  round_trip<bool>(body);
  round_trip<std::map<std::string, std::vector<std::string>>>(body);
  return 0;
}
