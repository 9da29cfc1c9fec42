#pragma once
// Whether a user event fits serf's size limit (limits::user_event_size_limit), which Consul's
// event fire meets through serf: the name "consul:event:NAME" plus Consul's msgpack-encoded
// UserEvent (ID, name, payload, filters, version) is checked before serf encodes it, and serf's
// own message (its type byte and LTime, Name, Payload, CC) after. Sizes are computed, nothing
// is encoded; they follow the msgpack format both codecs write (fixraw, raw16, raw32).

#include "dev_agent/store/records.hpp"

namespace coconsul::dev {

// Throws http_error 500 with serf's text ("user event exceeds configured limit of 512 bytes
// before encoding", or "encoded user event ... after encoding").
void check_user_event_size(const event_record& e);

}  // namespace coconsul::dev
