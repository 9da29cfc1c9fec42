#pragma once
// Connect's intentions as Consul's legacy intention API shows them (structs.Intention: GET and
// POST /v1/connect/intentions, /:id, /exact, /match), the check's answer
// (/v1/connect/intentions/check) and the agent's authorization of a client certificate
// (POST /v1/agent/connect/authorize). Times are Go's RFC 3339 text; Consul CE's namespaces are
// always "default".

#include <coconsul/model/wire.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coconsul {

// One HTTP header condition of an L7 permission (IntentionHTTPHeaderPermission): exactly one
// of present, exact, prefix, suffix, regex.
struct intention_http_header {
  std::string name{};
  bool present = false;
  std::string exact{};
  std::string prefix{};
  std::string suffix{};
  std::string regex{};
  bool invert = false;

  bool operator==(const intention_http_header&) const = default;
};
COCONSUL_WIRE_STRUCT(intention_http_header, (name, "Name"), (present, "Present"), (exact, "Exact"),
                     (prefix, "Prefix"), (suffix, "Suffix"), (regex, "Regex"), (invert, "Invert"))

// What an L7 permission matches (IntentionHTTPPermission): at most one path form, headers,
// methods.
struct intention_http_permission {
  std::string path_exact{};
  std::string path_prefix{};
  std::string path_regex{};
  std::vector<intention_http_header> header{};
  std::vector<std::string> methods{};

  bool operator==(const intention_http_permission&) const = default;
};
COCONSUL_WIRE_STRUCT(intention_http_permission, (path_exact, "PathExact"), (path_prefix, "PathPrefix"),
                     (path_regex, "PathRegex"), (header, "Header"), (methods, "Methods"))

// An L7 rule (IntentionPermission). Written only through a service-intentions config entry or
// the exact API; the ID-based API refuses them.
struct intention_permission {
  std::string action{};  // "allow" | "deny"
  std::optional<intention_http_permission> http{};

  bool operator==(const intention_permission&) const = default;
};
COCONSUL_WIRE_STRUCT(intention_permission, (action, "Action"), (http, "HTTP"))

// One intention: may `source_name` connect to `destination_name` ("*" for any).
struct intention {
  std::string id{};  // set only for intentions created by ID (create_intention)
  std::string description{};
  std::string source_ns{};  // "default" (empty on a write: the default)
  std::string source_name{};
  std::string destination_ns{};
  std::string destination_name{};
  std::string source_peer{};
  std::string source_type{};  // "consul"
  std::string action{};       // "allow" | "deny"; empty when permissions decide
  std::vector<intention_permission> permissions{};
  std::map<std::string, std::string> meta{};
  int precedence = 0;  // computed by Consul: 9 exact->exact, 8 *->exact, 6 exact->*, 5 *->*
  std::string created_at{};  // empty for intentions written as config entries
  std::string updated_at{};
  std::string hash{};  // base64; legacy intentions only
  std::uint64_t create_index = 0;
  std::uint64_t modify_index = 0;

  bool operator==(const intention&) const = default;
};
COCONSUL_WIRE_STRUCT(intention,
                     (id, "ID"), (description, "Description"), (source_ns, "SourceNS"), (source_name, "SourceName"),
                     (destination_ns, "DestinationNS"), (destination_name, "DestinationName"),
                     (source_peer, "SourcePeer"), (source_type, "SourceType"), (action, "Action"),
                     (permissions, "Permissions"), (meta, "Meta"), (precedence, "Precedence"),
                     (created_at, "CreatedAt"), (updated_at, "UpdatedAt"), (hash, "Hash"),
                     (create_index, "CreateIndex"), (modify_index, "ModifyIndex"))

// Which end a match names.
enum class intention_match_by { source, destination };

// The agent's decision on a connection (POST /v1/agent/connect/authorize).
struct connect_authorization {
  bool authorized = false;
  std::string reason{};  // "Matched L4 intention: default/web => default/db (...)", ...

  bool operator==(const connect_authorization&) const = default;
};
COCONSUL_WIRE_STRUCT(connect_authorization, (authorized, "Authorized"), (reason, "Reason"))

// What authorize asks: may the holder of a certificate with `client_cert_uri` (a SPIFFE
// service ID) connect to `target`?
struct connect_authorize_request {
  std::string target{};
  std::string client_cert_uri{};
  std::string client_cert_serial{};

  bool operator==(const connect_authorize_request&) const = default;
};
COCONSUL_WIRE_STRUCT(connect_authorize_request, (target, "Target"), (client_cert_uri, "ClientCertURI"),
                     (client_cert_serial, "ClientCertSerial"))

}  // namespace coconsul
