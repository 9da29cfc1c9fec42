#include <coconsul/txn.hpp>

#include "client/interpret.hpp"
#include "client/operation.hpp"
#include "protocol/request.hpp"

namespace coconsul::detail {

void txn_execute(client_state& st, std::vector<txn_op> ops, write_options w, completion_handler<txn_response> h) {
  run_request<txn_response>(
      st, std::move(h),
      [&] {
        auto invalid = [](std::string m) { return error(make_error_code(errc::invalid_argument), {0, std::move(m)}); };
        if (ops.empty()) throw invalid("a transaction needs at least one operation");
        if (ops.size() > 64) throw invalid("a transaction has at most 64 operations, not " + std::to_string(ops.size()));
        for (std::size_t i = 0; i < ops.size(); ++i) {
          if (!ops[i].kv) throw invalid("operation " + std::to_string(i) + " has no KV part");
          if (ops[i].kv->verb.empty()) throw invalid("operation " + std::to_string(i) + " has no verb");
          protocol::require_printable("key of operation " + std::to_string(i), ops[i].kv->key);
        }
        protocol::request_builder b(http::verb::put, "/v1/txn");
        b.write(w, st.cfg).body(encode_json(ops)).idempotent(false);
        return std::move(b).finish();
      },
      [](const http::response& r, diagnostics& diag, txn_response& out) -> error_code {
        // 409: rolled back; the body says which operation failed. Not an operation error.
        if (r.status != 409)
          if (auto ec = protocol::check_status(r, diag)) return ec;
        return decode_body(r, out, diag);
      });
}

}  // namespace coconsul::detail
