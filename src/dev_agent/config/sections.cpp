// connect and dns_config (see sections.hpp).

#include "dev_agent/config/sections.hpp"

#include "dev_agent/config/config_error.hpp"
#include "dev_agent/config/read.hpp"
#include "dev_agent/config/validate.hpp"

#include <coconsul/duration.hpp>

#include <boost/beast/core/string.hpp>

namespace coconsul::dev::config {
namespace json = boost::json;

namespace {

std::optional<std::chrono::nanoseconds> parse_go_duration(const std::string& name, const json::value& v,
                                                          std::vector<std::string>& errors) {
  std::string text = v.is_string() ? std::string(v.get_string()) : "";
  auto d = try_parse_duration(text);
  if (!d) {
    errors.push_back(name + ": invalid duration: \"" + text + "\": time: invalid duration \"" + text + "\"");
    return std::nullopt;
  }
  return *d;
}

}  // namespace

std::optional<std::chrono::nanoseconds> duration_at(const json::object& c, std::string_view path,
                                                    std::vector<std::string>& errors) {
  const auto* v = at(c, path);
  if (!v) return std::nullopt;
  return parse_go_duration(std::string(path), *v, errors);
}

void apply_connect(const json::object& c, dev_agent_options::connect_settings& out, std::set<std::string>& ignored) {
  out.enabled = boolean(c, "connect.enabled", false);
  std::string provider = str(c, "connect.ca_provider");
  if (provider == "vault" || provider == "aws-pca")
    throw config_error("connect.ca_provider \"" + provider +
                       "\": coconsul has only Consul's built-in CA (ca_provider \"consul\")");
  if (!provider.empty() && provider != "consul") throw config_error(provider + " is not a valid CA provider");
  const auto* ca = at(c, "connect.ca_config");
  if (!ca) return;
  if (!ca->is_object()) throw config_error("connect.ca_config: expected a map, got '" + std::string(ca->is_string() ? "string" : "value") + "'");
  using boost::beast::iequals;
  std::vector<std::string> errors;
  for (const auto& kv : ca->get_object()) {
    std::string_view k = kv.key();
    const json::value& v = kv.value();
    auto is = [&](std::string_view snake, std::string_view camel) { return iequals(k, snake) || iequals(k, camel); };
    if (is("cluster_id", "ClusterID")) {
      std::string id = v.is_string() ? lower(std::string(v.get_string())) : "";
      if (!uuid_problem(id).empty())
        throw config_error("connect.ca_config.cluster_id: \"" + id + "\" is not a UUID (" +
                           (v.is_string() ? uuid_problem(id) : "not a string") + ")");
      out.cluster_id = id;
    } else if (is("leaf_cert_ttl", "LeafCertTTL")) {
      if (auto d = parse_go_duration("connect.ca_config.leaf_cert_ttl", v, errors))
        out.leaf_cert_ttl = std::chrono::duration_cast<std::chrono::seconds>(*d);
    } else if (is("root_cert_ttl", "RootCertTTL")) {
      if (auto d = parse_go_duration("connect.ca_config.root_cert_ttl", v, errors))
        out.root_cert_ttl = std::chrono::duration_cast<std::chrono::seconds>(*d);
    } else if (is("private_key_type", "PrivateKeyType")) {
      std::string t = v.is_string() ? std::string(v.get_string()) : "";
      if (t != "ec" && t != "rsa") throw config_error("private key type must be either 'ec' or 'rsa'");
      out.private_key_type = t;
    } else if (is("private_key_bits", "PrivateKeyBits")) {
      if (!v.is_number()) throw config_error("connect.ca_config.private_key_bits must be a number");
      long long bits = v.is_double() ? go_int64(v.get_double()) : v.is_int64() ? v.get_int64() : INT64_MIN;
      out.private_key_bits = bits < INT_MIN || bits > INT_MAX ? INT_MIN : static_cast<int>(bits);
    } else {
      ignored.insert("connect.ca_config." + std::string(k));
    }
  }
  if (!errors.empty()) throw config_error(multierror_text(errors));
}

void apply_dns(const json::object& c, dev_agent_options::dns_settings& out, std::vector<std::string>& errors) {
  std::string domain = str(c, "domain", "consul.");
  if (!domain.empty() && domain.back() != '.') domain += '.';
  out.domain = domain;
  out.only_passing = boolean(c, "dns_config.only_passing", false);
  out.enable_truncate = boolean(c, "dns_config.enable_truncate", false);
  out.udp_answer_limit = static_cast<unsigned>(std::max(0LL, integer(c, "dns_config.udp_answer_limit", 3)));
  out.a_record_limit = static_cast<unsigned>(std::max(0LL, integer(c, "dns_config.a_record_limit", 0)));
  out.enable_additional_node_meta_txt = boolean(c, "dns_config.enable_additional_node_meta_txt", true);
  if (auto d = duration_at(c, "dns_config.node_ttl", errors))
    out.node_ttl = std::chrono::duration_cast<std::chrono::seconds>(*d);
  if (const auto* ttl = at(c, "dns_config.service_ttl"); ttl && ttl->is_object()) {
    for (const auto& kv : ttl->get_object()) {
      std::string name = "dns_config.service_ttl[\"" + std::string(kv.key()) + "\"]";
      if (auto d = parse_go_duration(name, kv.value(), errors))
        out.service_ttl[std::string(kv.key())] = std::chrono::duration_cast<std::chrono::seconds>(*d);
    }
  }
}

}  // namespace coconsul::dev::config
