// The balancer: the endpoint table fed by watch_service, picks, ejections, leases.

#include <coconsul/balancer.hpp>

#include "balancer/state.hpp"
#include "client/no_throw.hpp"
#include "client/spawn.hpp"

#include <boost/asio/append.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace coconsul {
namespace detail {

namespace asio = boost::asio;

namespace {

std::string key_of(const endpoint& e) { return e.node + '\x1f' + e.service_id; }

std::uint64_t seed_of(std::uint64_t seed) {
  if (seed != 0) return seed;
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

// Pulls snapshots until the balancer is destroyed or the watch fails for good.
asio::awaitable<void> watch_loop(std::shared_ptr<balancer_state> s) {
  for (;;) {
    auto [ec, diag, snap] = co_await s->watch->next(no_throw);
    if (s->closed) co_return;
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {
      s->watch_error = ec;
      s->watch_diag = std::move(diag);
      if (s->watch_diag.message.empty()) s->watch_diag.message = ec.message();
      s->watch_diag.message = "watching service '" + s->service + "' failed: " + s->watch_diag.message;
      s->notify();
      co_return;
    }
    s->apply(snap);
  }
}

}  // namespace

balancer_state::balancer_state(std::shared_ptr<client_state> c, std::string svc, balancer_options o, service_watch w)
    : client(std::move(c)),
      service(std::move(svc)),
      opts(std::move(o)),
      watch(std::move(w)),
      rng(seed_of(opts.seed)),
      wake(client->pool.get_executor()) {}

void balancer_state::start() {
  asio::co_spawn(client->pool.get_executor(), watch_loop(shared_from_this()),
                 asio::bind_cancellation_slot(stop_watch.slot(), asio::detached));
}

void balancer_state::close() {
  closed = true;
  stop_watch.emit(asio::cancellation_type::terminal);
  watch.reset();
  for (auto* socket : connecting) {
    error_code ignored;
    socket->cancel(ignored);
  }
  notify();
}

void balancer_state::apply(const service_snapshot& s) {
  ++counters.snapshots;
  have_snapshot = true;
  std::unordered_map<std::string, std::shared_ptr<balancer_entry>> old;
  for (auto& e : table) {
    std::string key = e->key;
    old.emplace(std::move(key), std::move(e));
  }
  // Reappeared or changed (health, weights, address): a sign of life that ends an ejection.
  std::unordered_set<const endpoint*> back(s.added.begin(), s.added.end());
  back.insert(s.changed.begin(), s.changed.end());

  std::vector<std::shared_ptr<balancer_entry>> next;
  next.reserve(s.endpoints().size());
  for (const endpoint& ep : s.endpoints()) {
    auto key = key_of(ep);
    std::shared_ptr<balancer_entry> e;
    if (auto it = old.find(key); it != old.end()) e = std::move(it->second);
    else e = std::make_shared<balancer_entry>();
    e->state = s.state;
    e->ep = &ep;
    e->key = std::move(key);
    e->slot.weight = weight_of(ep);
    if (e->ejected && back.contains(&ep)) e->ejected = false;
    next.push_back(std::move(e));
  }
  table = std::move(next);
  notify();
}

void balancer_state::eject(balancer_entry& e) {
  if (!e.ejected || e.ejected_until <= balancer_clock::now()) ++counters.ejections;
  e.ejected = true;
  e.ejected_until = balancer_clock::now() + opts.cooldown;
}

void balancer_state::record_failure(balancer_entry& e) {
  ++e.failures;
  eject(e);
}

void balancer_state::record_timeout(balancer_entry& e) {
  ++e.timeouts;
  ++counters.request_timeouts;
  record_failure(e);
}

std::optional<balancer_clock::time_point> balancer_state::refresh_ejections(balancer_clock::time_point now) {
  std::optional<balancer_clock::time_point> earliest;
  for (auto& e : table) {
    if (!e->ejected) continue;
    if (e->ejected_until <= now) {
      e->ejected = false;
      continue;
    }
    if (!earliest || e->ejected_until < *earliest) earliest = e->ejected_until;
  }
  return earliest;
}

lease balancer_state::make_lease(const std::shared_ptr<balancer_entry>& e) {
  ++e->slot.in_flight;
  ++e->picks;
  ++counters.picks;
  lease l;
  auto slot = std::make_shared<balancer_slot>();
  slot->owner = weak_from_this();
  slot->entry = e;
  slot->state = e->state;
  slot->ep = e->ep;
  slot->executor = client->pool.get_executor();
  l.slot_ = std::move(slot);
  return l;
}

lease balancer_state::try_pick(const std::vector<const balancer_entry*>& exclude) {
  refresh_ejections(balancer_clock::now());
  scratch_slots.clear();
  scratch_entries.clear();
  for (auto& e : table) {
    if (e->ejected || e->slot.weight <= 0) continue;
    if (std::find(exclude.begin(), exclude.end(), e.get()) != exclude.end()) continue;
    scratch_slots.push_back(&e->slot);
    scratch_entries.push_back(&e);
  }
  if (scratch_slots.empty()) return lease();
  const std::size_t i = choose(opts.policy, scratch_slots, rng);
  return make_lease(*scratch_entries[i]);
}

coded<lease> balancer_state::why_none(const std::vector<const balancer_entry*>& exclude) const {
  std::size_t weighted = 0, ejected = 0, tried = 0;
  for (const auto& e : table) {
    if (e->slot.weight <= 0) continue;
    ++weighted;
    if (std::find(exclude.begin(), exclude.end(), e.get()) != exclude.end()) ++tried;
    else if (e->ejected) ++ejected;
  }
  std::string what = "service '" + service + "': ";
  if (table.empty())
    what += opts.watch.passing_only ? "no passing instance" : "no instance";
  else if (weighted == 0)
    what += "every instance has weight 0";
  else if (tried == weighted)
    what += "every instance was tried";
  else
    what += "every instance is ejected (" + std::to_string(ejected) + " cooling down" +
            (tried ? ", " + std::to_string(tried) + " tried" : std::string()) + ")";
  return failed<lease>(make_error_code(errc::no_endpoints), diagnostics{0, std::move(what)});
}

coded<void> balancer_state::finished() const {
  if (closed) return failed<void>(make_error_code(asio::error::operation_aborted), diagnostics{0, "the balancer was destroyed"});
  if (watch_error) return failed<void>(watch_error, watch_diag);
  return coded<void>();
}

asio::awaitable<bool> balancer_state::wait_change() {
  const auto target = refresh_ejections(balancer_clock::now()).value_or(balancer_clock::time_point::max());
  co_await wake.wait_until(target);
  const auto cs = co_await asio::this_coro::cancellation_state;
  co_return cs.cancelled() == asio::cancellation_type::none;
}

asio::awaitable<coded<lease>> balancer_state::pick(const std::vector<const balancer_entry*>& exclude) {
  for (;;) {
    if (auto f = finished(); f.ec) co_return failed<lease>(f.ec, std::move(f.diag));
    if (have_snapshot) {
      if (lease l = try_pick(exclude)) co_return picked(std::move(l));
      if (!opts.wait_when_all_ejected) co_return why_none(exclude);
    }
    const bool woken = co_await wait_change();
    if (!woken) co_return failed<lease>(make_error_code(asio::error::operation_aborted));
  }
}

namespace {
asio::awaitable<coded<lease>> run_pick(std::shared_ptr<balancer_state> s) {
  co_await accept_all_cancellation();
  const std::vector<const balancer_entry*> none;
  co_return co_await s->pick(none);
}
}  // namespace

void balancer_pick(balancer_state& s, completion_handler<lease> h) {
  // The common case, an endpoint to hand out now, needs no coroutine: complete through the
  // handler's executor (never inline), as any Asio operation.
  if (!s.closed && !s.watch_error && s.have_snapshot) {
    const std::vector<const balancer_entry*> none;
    if (lease l = s.try_pick(none)) {
      asio::post(s.client->pool.get_executor(), asio::append(std::move(h), error_code(), diagnostics(), std::move(l)));
      return;
    }
  }
  spawn_coded<lease>(s.client->pool.get_executor(), run_pick(s.shared_from_this()), std::move(h));
}

}  // namespace detail

// --- lease ---

lease::lease(lease&& o) noexcept : slot_(std::move(o.slot_)) {}

lease& lease::operator=(lease&& o) noexcept {
  if (this != &o) {
    release();
    slot_ = std::move(o.slot_);
  }
  return *this;
}

lease::~lease() { release(); }

const coconsul::endpoint& lease::endpoint() const noexcept { return *slot_->ep; }

void lease::release() noexcept {
  if (!slot_) return;
  auto& in_flight = slot_->entry->slot.in_flight;
  if (in_flight > 0) --in_flight;
  slot_.reset();
}

void lease::fail() noexcept {
  if (!slot_) return;
  auto owner = slot_->owner.lock();
  // After a request timeout the endpoint is already ejected and counted.
  if (owner && !owner->closed && !slot_->timed_out) owner->record_failure(*slot_->entry);
  release();
}

// --- balancer ---

balancer::balancer(const client& c, std::string service, balancer_options opts) {
  if (opts.cooldown.count() < 0)
    throw error(make_error_code(errc::invalid_argument), {0, "balancer cooldown must not be negative"});
  if (opts.connect_timeout.count() <= 0)
    throw error(make_error_code(errc::invalid_argument), {0, "balancer connect_timeout must be above zero"});
  if (opts.request_timeout.count() < 0)
    throw error(make_error_code(errc::invalid_argument), {0, "balancer request_timeout must not be negative"});
  auto w = c.watch_service(service, opts.watch);  // checks the name
  state_ = std::make_shared<detail::balancer_state>(detail::client_access::state(c), std::move(service), std::move(opts),
                                                    std::move(w));
  state_->start();
}

balancer::~balancer() {
  if (state_) state_->close();
}

void balancer::eject(const std::string& service_id) {
  for (auto& e : state_->table)
    if (e->ep->service_id == service_id) state_->eject(*e);
}

const std::string& balancer::service() const noexcept { return state_->service; }

balancer_stats balancer::stats() const {
  balancer_stats out = state_->counters;
  const auto now = detail::balancer_clock::now();
  out.endpoints.reserve(state_->table.size());
  for (const auto& e : state_->table) {
    balancer_endpoint b;
    b.endpoint = *e->ep;
    b.in_flight = e->slot.in_flight;
    b.ejected = e->ejected && e->ejected_until > now;
    b.picks = e->picks;
    b.failures = e->failures;
    b.timeouts = e->timeouts;
    out.endpoints.push_back(std::move(b));
  }
  return out;
}

watch_status balancer::watch() const { return state_->watch ? state_->watch->status() : watch_status(); }

}  // namespace coconsul
