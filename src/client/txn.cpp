// /v1/txn (txn_api): a KV transaction, refused before sending when it is empty, too long or
// has an operation without a KV part or verb.
#include <coconsul/txn.hpp>

#include "client/interpret.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"

namespace coconsul::detail {

void txn_execute(client_state& st, std::vector<txn_op> ops, write_options w, completion_handler<txn_response> h) {
  run_request<txn_response>(
      st, std::move(h),
      [&] {
        protocol::request_builder b(http::verb::put, "/v1/txn");
        if (ops.empty()) b.refuse({"a transaction needs at least one operation"});
        if (ops.size() > 64) b.refuse({"a transaction has at most 64 operations, not " + std::to_string(ops.size())});
        for (std::size_t i = 0; i < ops.size() && !b.refused(); ++i) {
          if (!ops[i].kv) b.refuse({"operation " + std::to_string(i) + " has no KV part"});
          else if (ops[i].kv->verb.empty()) b.refuse({"operation " + std::to_string(i) + " has no verb"});
          else b.require_printable("key of operation " + std::to_string(i), ops[i].kv->key);
        }
        if (b.refused()) return b;  // encode_json needs every operation's KV part
        b.write(w, st.cfg).body(encode_json(ops)).idempotent(false);
        return b;
      },
      [](const http::response& r, diagnostics& diag, txn_response& out) -> error_code {
        // 409: rolled back; the body says which operation failed. Not an operation error.
        if (r.status != 409)
          if (auto ec = protocol::check_status(r, diag)) return ec;
        return decode_body(r, out, diag);
      });
}

}  // namespace coconsul::detail
