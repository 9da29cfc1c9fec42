// /v1/txn: KV operations applied all-or-nothing (200 with Results, or 409 with Errors and
// nothing applied). Node, Service and Check operations are refused with a 400. ACLs as Consul's
// Txn endpoint: an operation the token may not do is an error of the transaction (409 with the
// denial text as its What), and results the token may not read are left out.

#include "dev_agent/acl/denied.hpp"
#include "dev_agent/endpoints/blocking.hpp"
#include "dev_agent/endpoints/context.hpp"
#include "dev_agent/endpoints/decode.hpp"
#include "dev_agent/endpoints/render.hpp"
#include "dev_agent/http/error.hpp"
#include "dev_agent/http/request_values.hpp"
#include "dev_agent/http/responders.hpp"

#include <boost/json.hpp>

namespace coconsul::dev {
namespace json = boost::json;

namespace {

// Applies one op; "" on success, else Consul's error text. `result` gets the entry to report.
std::string apply(endpoint_context& c, write_txn& w, const txn_kv_op& op, std::optional<kv_entry>& result) {
  auto& st = c.state;
  kv_entry e;
  e.key = op.key;
  e.flags = op.flags;
  e.session = op.session;
  if (op.bad_base64) return "illegal base64 data in Value";
  e.value = op.value;
  auto blank = [&](const kv_entry* got) {
    if (!got) return;
    kv_entry copy = *got;
    copy.value.reset();
    result = copy;
  };
  const std::string& k = op.key;
  std::string err;
  if (op.verb == "set") {
    st.kv_set(w, e);
    blank(st.kv_get(k));
  } else if (op.verb == "cas") {
    if (!st.kv_cas(w, e, op.index)) return "failed to set key \"" + k + "\", index is stale";
    blank(st.kv_get(k));
  } else if (op.verb == "lock") {
    if (!st.kv_lock(w, e, &err)) return err.empty() ? "failed to lock key \"" + k + "\", lock is already held" : err;
    blank(st.kv_get(k));
  } else if (op.verb == "unlock") {
    if (!st.kv_unlock(w, e, &err))
      return err.empty() ? "failed to unlock key \"" + k + "\", lock isn't held, or is held by another session" : err;
    blank(st.kv_get(k));
  } else if (op.verb == "get") {
    const auto* got = st.kv_get(k);
    if (!got) return "key \"" + k + "\" doesn't exist";
    result = *got;
  } else if (op.verb == "get-tree") {
    // Reported as several results by the caller.
  } else if (op.verb == "check-index") {
    const auto* got = st.kv_get(k);
    if (!got) return "key \"" + k + "\" doesn't exist";
    if (got->modify_index != op.index)
      return "current modify index " + std::to_string(got->modify_index) + " for key \"" + k + "\" doesn't match " +
             std::to_string(op.index);
    blank(got);
  } else if (op.verb == "check-session") {
    const auto* got = st.kv_get(k);
    if (!got) return "key \"" + k + "\" doesn't exist";
    if (got->session != op.session)
      return "current session \"" + got->session + "\" for key \"" + k + "\" doesn't match \"" + op.session + "\"";
    blank(got);
  } else if (op.verb == "check-not-exists") {
    if (st.kv_get(k)) return "key \"" + k + "\" exists";
  } else if (op.verb == "delete") {
    st.kv_delete(w, k);
  } else if (op.verb == "delete-tree") {
    st.kv_delete_tree(w, k);
  } else if (op.verb == "delete-cas") {
    if (!st.kv_delete_cas(w, k, op.index)) return "failed to delete key \"" + k + "\", index is stale";
  } else if (op.verb == "get-or-empty") {
    const auto* got = st.kv_get(k);
    kv_entry empty;
    empty.key = k;
    result = got ? *got : empty;
  } else {
    return "unknown KV verb \"" + op.verb + "\"";
  }
  return {};
}

// Consul's kvsPreApply for one operation: "" when the caller may do it, else the denial text.
// Reads are not checked here: their results are filtered.
std::string vet(const endpoint_context& c, const txn_kv_op& op) {
  const request_acl& caller = c.caller();
  const acl::authorizer& authz = caller.authz();
  acl::verdict v;
  v.allowed = true;
  if (op.verb == "delete-tree") v = authz.key_write_prefix(op.key);
  else if (op.verb == "check-index" || op.verb == "check-session" || op.verb == "check-not-exists") v = authz.key_read(op.key);
  else if (op.verb != "get" && op.verb != "get-tree" && op.verb != "get-or-empty") v = authz.key_write(op.key);
  return v ? std::string() : acl::denial_text(caller.accessor_id(), v);
}

// A result the caller may see (key:read on its key); counts what it may not.
bool readable(const endpoint_context& c, const kv_entry& e) {
  return c.caller().visible(c.caller().authz().key_read(e.key));
}

http_response txn(endpoint_context& c, http_request& req) {
  std::vector<txn_kv_op> ops = decode_txn(req.body);

  json::array results, errors;
  auto error_entry = [&errors](std::size_t i, std::string what) {
    json::object e;
    e["OpIndex"] = i;
    e["What"] = std::move(what);
    errors.emplace_back(std::move(e));
  };
  // As Consul's vetTxnOps: every operation is vetted before any is applied.
  for (std::size_t i = 0; i < ops.size(); ++i)
    if (std::string denied = vet(c, ops[i]); !denied.empty()) error_entry(i, std::move(denied));
  if (!errors.empty()) {
    json::object out;
    out["Results"] = nullptr;
    out["Errors"] = std::move(errors);
    return json_response(out, 409);
  }
  auto backup = c.state.save_kv();
  {
    write_txn w(c.state);
    for (std::size_t i = 0; i < ops.size(); ++i) {
      std::optional<kv_entry> result;
      std::string err = apply(c, w, ops[i], result);
      if (!err.empty()) {
        error_entry(i, std::move(err));
        continue;
      }
      if (ops[i].verb == "get-tree") {
        for (const auto* got : c.state.kv_list(ops[i].key)) {
          if (!readable(c, *got)) continue;
          json::object r;
          r["KV"] = render_kv(*got);
          results.emplace_back(std::move(r));
        }
      } else if (result && readable(c, *result)) {
        json::object r;
        r["KV"] = render_kv(*result);
        results.emplace_back(std::move(r));
      }
    }
    // The store touched the KV table only for the operations that changed something.
    if (!errors.empty()) {
      c.state.restore_kv(std::move(backup));
      w.discard();
    }
  }
  json::object out;
  if (!errors.empty()) {
    out["Results"] = nullptr;
    out["Errors"] = std::move(errors);
    return json_response(out, 409);
  }
  out["Results"] = results.empty() ? json::value(nullptr) : json::value(std::move(results));
  out["Errors"] = nullptr;
  return json_response(out);
}

}  // namespace

void add_txn_routes(route_table& r) { r.add("/v1/txn", {"PUT"}, &immediate<txn>); }

}  // namespace coconsul::dev
