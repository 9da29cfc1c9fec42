#pragma once
// Whether a write changes what is stored: Consul's RegisterRequest.ChangesNode,
// NodeService.IsSame, HealthCheck.IsSame and DirEntry.Equal. The state store asks these before
// every write, whichever path it comes from (catalog, agent, anti-entropy, txn), so a write that
// changes nothing moves no index and wakes no watcher.

#include "dev_agent/store/records.hpp"

namespace coconsul::dev {

// The compared fields are Consul's; the indexes never are.
bool same_node(const node_record& stored, const node_record& incoming);
bool same_service(const service_record& stored, const service_record& incoming);
bool same_check(const check_record& stored, const check_record& incoming);
bool same_kv(const kv_entry& stored, const kv_entry& incoming);

}  // namespace coconsul::dev
