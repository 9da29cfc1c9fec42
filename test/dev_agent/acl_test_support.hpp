#pragma once
// What the ACL tests share: an agent with ACLs on and a management token, and requests that
// carry a token the way a client sends it.

#include "agent_client.hpp"
#include "agent_fixture.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <string>

namespace coconsul::test {

inline constexpr const char* acl_root = "4f0a3b1e-5d3c-4c4e-9a47-6f1f3c2b9d10";

inline dev_agent_options acl_test_options() {
  auto o = agent_test_options();
  o.acl.enabled = true;
  o.acl.tokens.initial_management = acl_root;
  return o;
}

// `method target` with X-Consul-Token: `token` ("" sends none).
inline boost::asio::awaitable<reply> acl_call(agent_client& c, std::string method, std::string target, std::string body,
                                              std::string token = acl_root) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!token.empty()) headers.emplace_back("X-Consul-Token", token);
  co_return co_await c.request(std::move(method), std::move(target), std::move(body), std::move(headers));
}

inline std::string str(const boost::json::value& v, std::string_view key) {
  return std::string(v.as_object().at(key).as_string());
}

// The secret of a new token whose only policy, named `name`, has `rules` (made with `acl_root`).
inline boost::asio::awaitable<std::string> secret_with(agent_client& c, std::string name, std::string rules) {
  boost::json::object policy;
  policy["Name"] = name;
  policy["Rules"] = rules;
  std::string policy_body = boost::json::serialize(policy);
  BOOST_TEST_REQUIRE((co_await acl_call(c, "PUT", "/v1/acl/policy", policy_body)).status == 200u);
  std::string token_body = R"({"Policies": [{"Name": ")" + name + R"("}]})";
  auto t = co_await acl_call(c, "PUT", "/v1/acl/token", token_body);
  BOOST_TEST_REQUIRE(t.status == 200u, t.body);
  co_return str(t.json(), "SecretID");
}

}  // namespace coconsul::test
