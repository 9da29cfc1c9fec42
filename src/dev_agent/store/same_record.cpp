// Consul's "does this write change anything" comparisons (see same_record.hpp).

#include "dev_agent/store/same_record.hpp"

#include <boost/beast/core/string.hpp>

namespace coconsul::dev {

bool same_node(const node_record& a, const node_record& b) {
  // ChangesNode compares the name case-insensitively: the catalog's node index ignores case.
  return a.id == b.id && boost::beast::iequals(a.name, b.name) && a.address == b.address &&
         a.datacenter == b.datacenter && a.tagged_addresses == b.tagged_addresses && a.meta == b.meta;
}

bool same_service(const service_record& a, const service_record& b) {
  return a.node == b.node && a.kind == b.kind && a.id == b.id && a.name == b.name && a.tags == b.tags &&
         a.address == b.address && a.tagged_addresses == b.tagged_addresses && a.meta == b.meta &&
         a.port == b.port && a.socket_path == b.socket_path && a.weight_passing == b.weight_passing &&
         a.weight_warning == b.weight_warning && a.enable_tag_override == b.enable_tag_override &&
         a.proxy == b.proxy && a.connect_native == b.connect_native &&
         a.locally_registered_as_sidecar == b.locally_registered_as_sidecar;
}

bool same_check(const check_record& a, const check_record& b) {
  // Output counts: a new output is a write (the agent defers output-only syncs itself).
  return a.node == b.node && a.check_id == b.check_id && a.name == b.name && a.status == b.status &&
         a.notes == b.notes && a.output == b.output && a.service_id == b.service_id &&
         a.service_name == b.service_name && a.service_tags == b.service_tags && a.type == b.type &&
         a.definition == b.definition;
}

bool same_kv(const kv_entry& a, const kv_entry& b) {
  return a.lock_index == b.lock_index && a.flags == b.flags && a.value == b.value && a.session == b.session;
}

}  // namespace coconsul::dev
