#pragma once
// What `coconsul config` needs beyond the client: an entry printed as Consul's CLI prints it
// (Go's json.MarshalIndent, four spaces), and an entry read from a file the way `consul config
// write` reads it (JSON or HCL; every key must be one the kind has; an unknown kind is refused).

#include <coconsul/error.hpp>
#include <coconsul/model/config_entry.hpp>

#include <string>
#include <string_view>

namespace coconsul::cli {

// The entry as `consul config read` prints it: Kind first, fields in Consul's order, zero
// fields left out (Kind, Name and the indexes always there), indented by four spaces, strings
// escaped as Go escapes them (<, > and & as \u003c, \u003e, \u0026). No trailing newline.
std::string print_config_entry(const config_entry& entry);

// Decodes `text` (JSON, or HCL: config_hcl.hpp) into `out` as `consul config write` does:
// CamelCase, lowercase or snake_case keys; a key no field of the kind has fails as Consul's
// multierror does
// ("1 error occurred:\n\t* invalid config key \"Foo\"\n\n"); an unknown kind fails with
// "invalid config entry kind: x". On failure, diag.message is the text after "Failed to decode
// config entry input: ".
error_code read_config_entry(std::string_view text, config_entry& out, diagnostics& diag);

}  // namespace coconsul::cli
