// mtls_echo: two replicas of one service talking mutual TLS with certificates from Consul's
// Connect CA. Each replica serves a line echo over TLS and dials the other; both sides present
// the service's leaf certificate, verify the peer's chain against the CA roots, and accept only
// a peer whose SPIFFE ID is the service's (spiffe://<trust-domain>/ns/default/dc/<dc>/svc/<name>).
// The leaf and the roots come from watches (watch_connect_leaf, watch_connect_roots): when the
// agent renews the leaf (before it expires, or after a root rotation) new connections get a
// TLS context with the new one, and connections already open carry on with the old.
//
//   mtls_echo --help lists the options. The agent comes from CONSUL_HTTP_ADDR (default
//   http://127.0.0.1:8500) and CONSUL_HTTP_TOKEN (service:write on the service).

// g++ 12 pairs the coroutine frame's operator new (Asio's recycling allocator) with a plain
// free() in an inlined destroy path and warns falsely (GCC bug 109224).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include "flags.hpp"

#include <coconsul/client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <iostream>
#include <memory>
#include <string>

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;
using tls_stream = ssl::stream<tcp::socket>;

namespace {

constexpr const char* usage =
    "usage: mtls_echo [options]\n"
    "  --service NAME     the service both replicas are (default echo)\n"
    "  --renewals N       exit 0 once N renewals of the leaf were checked (default 1; 0: run until\n"
    "                     SIGINT or SIGTERM)\n"
    "Renewals come from the agent: between 60 % and 90 % of the leaf's lifetime, or at once after\n"
    "a root rotation (coconsul connect ca set-config with a new PrivateKeyType).\n"
    "The agent comes from CONSUL_HTTP_ADDR (default http://127.0.0.1:8500) and CONSUL_HTTP_TOKEN.\n";

// A certificate's URI SAN (a SPIFFE ID), or "" when it has none.
std::string spiffe_id(X509* cert) {
  std::string out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names) && out.empty(); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type == GEN_URI)
      out.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.uniformResourceIdentifier)),
                 static_cast<std::size_t>(ASN1_STRING_length(n->d.uniformResourceIdentifier)));
  }
  GENERAL_NAMES_free(names);
  return out;
}

// A serial number as Consul writes it ("3e:a1:..."), to match the peer with an IssuedCert.
std::string serial_of(X509* cert) {
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
  const unsigned char* p = ASN1_STRING_get0_data(serial);
  int n = ASN1_STRING_length(serial);
  while (n > 1 && *p == 0) ++p, --n;  // Go's big.Int.Bytes() has no leading zero
  std::string out;
  char b[4];
  for (int i = 0; i < n; ++i) {
    std::snprintf(b, sizeof b, i ? ":%02x" : "%02x", p[i]);
    out += b;
  }
  return out;
}

// The key that signed a PEM certificate (its AuthorityKeyId, "ab:cd:..."), as a root's
// SigningKeyID names it.
std::string signer_of(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  const ASN1_OCTET_STRING* id = cert ? X509_get0_authority_key_id(cert.get()) : nullptr;
  std::string out;
  char b[4];
  for (int i = 0; id && i < ASN1_STRING_length(id); ++i) {
    std::snprintf(b, sizeof b, i ? ":%02x" : "%02x", ASN1_STRING_get0_data(id)[i]);
    out += b;
  }
  return out;
}

// OpenSSL's verification of the chain, then the SPIFFE ID of the peer's own certificate: a
// certificate from this CA for another service is refused too.
struct spiffe_verification {
  std::string expected;
  bool operator()(bool preverified, ssl::verify_context& v) const {
    X509_STORE_CTX* store = v.native_handle();
    if (!preverified || X509_STORE_CTX_get_error_depth(store) != 0) return preverified;
    std::string id = spiffe_id(X509_STORE_CTX_get_current_cert(store));
    if (id == expected) return true;
    std::cout << "  refused a peer: " << (id.empty() ? "no SPIFFE ID" : id) << " is not " << expected << std::endl;
    X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
    return false;
  }
};

// A TLS context presenting `leaf` and trusting every root (the active one and those rotated
// out), for either end of a connection. Null, with the reason printed, when OpenSSL refuses.
std::shared_ptr<ssl::context> make_context(const coconsul::issued_cert& leaf, const coconsul::ca_roots& roots,
                                           const std::string& expected_peer) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  // The leaf, then any intermediate it needs (after a rotation, the new root cross-signed by
  // the old one, so that peers that trust only the old root accept it).
  ctx->use_certificate_chain(asio::buffer(leaf.cert_pem), ec);
  if (!ec) ctx->use_private_key(asio::buffer(leaf.private_key_pem), ssl::context::pem, ec);
  for (const coconsul::ca_root& r : roots.roots)
    if (!ec) ctx->add_certificate_authority(asio::buffer(r.root_cert), ec);
  if (!ec) ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert, ec);
  if (!ec) ctx->set_verify_callback(spiffe_verification{expected_peer}, ec);
  if (ec) {
    std::cout << "cannot make a TLS context from the leaf " << leaf.serial_number << ": " << ec.message() << std::endl;
    return nullptr;
  }
  return ctx;
}

// The TLS material of this service: the newest leaf and roots from the watches, and the
// context new connections use. Contexts are shared: a connection keeps the one it started with.
struct tls_source {
  explicit tls_source(asio::any_io_executor ex) : roots_changed(ex, asio::steady_timer::time_point::max()) {}

  std::shared_ptr<const coconsul::issued_cert> leaf;
  std::shared_ptr<const coconsul::ca_roots> roots;
  std::shared_ptr<ssl::context> current;
  asio::steady_timer roots_changed;  // cancelled (a wake-up) when the roots change

  // Whether the root that signed our leaf is among the trusted roots yet: after a rotation a
  // peer that already trusts only the new root accepts us either way, but one that trusts
  // only the old root relies on the cross-signed intermediate until its roots catch up.
  bool trusts_own_signer() const {
    std::string signer = signer_of(leaf->cert_pem);
    for (const auto& r : roots->roots)
      if (r.signing_key_id == signer) return true;
    return false;
  }

  bool rebuild() {
    auto made = make_context(*leaf, *roots, leaf->service_uri);  // a replica's peer is the same service
    if (!made) return false;
    current = std::move(made);
    return true;
  }
};

// One end of a connection; the context outlives the stream that uses it.
struct connection {
  std::shared_ptr<ssl::context> ctx;
  tls_stream stream;
  asio::streambuf in;
  connection(std::shared_ptr<ssl::context> c, tcp::socket s) : ctx(std::move(c)), stream(std::move(s), *ctx) {}
};

// Echoes lines until the peer leaves, each prefixed with the replica's name.
asio::awaitable<void> serve(std::string name, std::unique_ptr<connection> c) {
  auto [hs] = co_await c->stream.async_handshake(ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
  if (hs) {
    std::cout << "replica " << name << ": handshake refused: " << hs.message() << std::endl;
    co_return;
  }
  for (;;) {
    auto [ec, n] = co_await asio::async_read_until(c->stream, c->in, '\n', asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // the peer left
    std::string line(asio::buffers_begin(c->in.data()), asio::buffers_begin(c->in.data()) + static_cast<long>(n));
    c->in.consume(n);
    std::string reply = name + ": " + line;
    auto [wec, written] = co_await asio::async_write(c->stream, asio::buffer(reply), asio::as_tuple(asio::use_awaitable));
    (void)written;
    if (wec) co_return;
  }
}

struct replica {
  std::string name;
  tcp::acceptor acceptor;
  tls_source& tls;

  unsigned short port() const { return acceptor.local_endpoint().port(); }

  // Each connection gets the context current when it arrives.
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;  // closed: shutting down
      auto c = std::make_unique<connection>(tls.current, std::move(socket));
      asio::co_spawn(acceptor.get_executor(), serve(name, std::move(c)), asio::detached);
    }
  }
};

// A verified connection to 127.0.0.1:port with `ctx`, or null (the reason printed).
asio::awaitable<std::unique_ptr<connection>> dial(std::shared_ptr<ssl::context> ctx, unsigned short port,
                                                  std::string who) {
  tcp::socket socket(co_await asio::this_coro::executor);
  tcp::endpoint at(asio::ip::make_address("127.0.0.1"), port);
  auto [ec] = co_await socket.async_connect(at, asio::as_tuple(asio::use_awaitable));
  if (ec) {
    std::cout << who << ": cannot connect: " << ec.message() << std::endl;
    co_return nullptr;
  }
  auto c = std::make_unique<connection>(std::move(ctx), std::move(socket));
  auto [hs] = co_await c->stream.async_handshake(ssl::stream_base::client, asio::as_tuple(asio::use_awaitable));
  if (hs) {
    std::cout << who << ": handshake refused: " << hs.message() << std::endl;
    co_return nullptr;
  }
  co_return c;
}

// The peer certificate's SPIFFE ID and serial, as "spiffe://... (serial ...)".
std::string peer_of(connection& c) {
  X509* peer = SSL_get1_peer_certificate(c.stream.native_handle());
  if (!peer) return "no peer certificate";
  std::string out = spiffe_id(peer) + " (serial " + serial_of(peer) + ")";
  X509_free(peer);
  return out;
}

// Sends a line and returns the echo ("" when the connection failed).
asio::awaitable<std::string> echo(connection& c, std::string text) {
  std::string line = text + "\n";
  auto [wec, written] = co_await asio::async_write(c.stream, asio::buffer(line), asio::as_tuple(asio::use_awaitable));
  (void)written;
  if (wec) co_return "";
  auto [ec, n] = co_await asio::async_read_until(c.stream, c.in, '\n', asio::as_tuple(asio::use_awaitable));
  if (ec) co_return "";
  std::string reply(asio::buffers_begin(c.in.data()), asio::buffers_begin(c.in.data()) + static_cast<long>(n) - 1);
  c.in.consume(n);
  co_return reply;
}

void close(std::unique_ptr<connection>& c) {
  if (!c) return;
  boost::system::error_code ignored;
  c->stream.lowest_layer().close(ignored);  // no close_notify: the peer sees the end of the stream
  c.reset();
}

// Keeps the roots current: a rotation adds a root, and peers' new leaves chain to it.
asio::awaitable<void> follow_roots(coconsul::connect_roots_watch w, tls_source& tls) {
  for (;;) {
    auto [ec, roots] = co_await w.next(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // the client was closed: shutting down
    tls.roots = roots;
    if (tls.rebuild())
      std::cout << "roots: " << roots->roots.size() << " trusted, active " << roots->active_root_id << std::endl;
    tls.roots_changed.cancel();
  }
}

struct options {
  std::string service = "echo";
  unsigned renewals = 1;
};

// What a replica checks of a connection: the peer is the service, it echoes.
asio::awaitable<bool> check(connection& c, std::string who, std::string text) {
  std::string reply = co_await echo(c, text);
  bool ok = reply.ends_with(": " + text);
  std::cout << who << ": peer " << peer_of(c) << ", echo " << (ok ? "\"" + reply + "\"" : "failed") << std::endl;
  co_return ok;
}

asio::awaitable<int> run(coconsul::client& consul, tls_source& tls, replica& a, replica& b, const options& o) {
  coconsul::connect_leaf_watch leaves = consul.watch_connect_leaf(o.service);
  coconsul::connect_roots_watch roots = consul.watch_connect_roots();
  tls.leaf = co_await leaves.next();
  tls.roots = co_await roots.next();
  if (!tls.rebuild()) co_return 1;
  std::cout << "leaf for " << o.service << ": " << tls.leaf->service_uri << " serial " << tls.leaf->serial_number
            << ", valid until " << tls.leaf->valid_before << std::endl;
  auto ex = co_await asio::this_coro::executor;
  asio::co_spawn(ex, follow_roots(std::move(roots), tls), asio::detached);
  asio::co_spawn(ex, a.accept_loop(), asio::detached);
  asio::co_spawn(ex, b.accept_loop(), asio::detached);
  std::cout << "replica a on 127.0.0.1:" << a.port() << ", replica b on 127.0.0.1:" << b.port() << std::endl;

  // Both directions, verified both ways. The a -> b connection stays open across renewals.
  auto kept = co_await dial(tls.current, b.port(), "a -> b");
  if (!kept || !co_await check(*kept, "a -> b", "hello from a")) co_return 1;
  auto back = co_await dial(tls.current, a.port(), "b -> a");
  if (!back || !co_await check(*back, "b -> a", "hello from b")) co_return 1;
  close(back);

  // A certificate from the same CA for another service: chain fine, SPIFFE ID refused.
  auto other = (co_await consul.connect().leaf(o.service + "-intruder")).value;
  auto intruder_ctx = make_context(other, *tls.roots, tls.leaf->service_uri);
  if (!intruder_ctx) co_return 1;
  auto intruder = co_await dial(intruder_ctx, a.port(), "intruder -> a");
  if (intruder) {
    std::string reply = co_await echo(*intruder, "let me in");
    if (!reply.empty()) {
      std::cout << "FAILED: replica a echoed for " << other.service_uri << std::endl;
      co_return 1;
    }
    std::cout << "intruder -> a: " << other.service_uri << " refused after the handshake" << std::endl;
    close(intruder);
  }

  std::cout << "ready: waiting for the agent to renew the leaf" << std::endl;
  for (unsigned renewal = 1; o.renewals == 0 || renewal <= o.renewals; ++renewal) {
    auto before = tls.leaf;
    tls.leaf = co_await leaves.next();
    if (!tls.rebuild()) co_return 1;
    std::cout << "renewal " << renewal << ": leaf serial " << tls.leaf->serial_number << " (was "
              << before->serial_number << "), valid until " << tls.leaf->valid_before << std::endl;
    auto fresh = co_await dial(tls.current, b.port(), "a -> b (new connection)");
    if (!fresh || !co_await check(*fresh, "a -> b (new connection)", "renewed " + std::to_string(renewal)))
      co_return 1;
    if (peer_of(*fresh).find("(serial " + tls.leaf->serial_number + ")") == std::string::npos) {
      std::cout << "FAILED: the new connection's peer does not present the renewed leaf" << std::endl;
      co_return 1;
    }
    close(fresh);
    if (!co_await check(*kept, "a -> b (open since the start)", "still here " + std::to_string(renewal))) co_return 1;
    while (!tls.trusts_own_signer()) {
      tls.roots_changed.expires_at(asio::steady_timer::time_point::max());
      (void)co_await tls.roots_changed.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    std::cout << "renewal " << renewal << " checked: new connections present the new leaf, the open one carries on, "
              << "its signer is among the " << tls.roots->roots.size() << " trusted roots" << std::endl;
  }
  close(kept);
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  example::flags("mtls_echo", usage).text("--service", o.service).number("--renewals", o.renewals).parse(argc, argv);

  asio::io_context ioc;
  coconsul::client consul(ioc, coconsul::config::from_env());
  tls_source tls(ioc.get_executor());
  tcp::endpoint any_port(asio::ip::make_address("127.0.0.1"), 0);
  replica a{"a", tcp::acceptor(ioc, any_port), tls};
  replica b{"b", tcp::acceptor(ioc, any_port), tls};
  asio::signal_set signals(ioc, SIGINT, SIGTERM);

  int exit_code = 1;
  bool signalled = false;
  auto shut_down = [&] {
    signals.cancel();
    boost::system::error_code ignored;
    a.acceptor.close(ignored);
    b.acceptor.close(ignored);
    consul.close();  // ends the watches
  };
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (ec) return;
    signalled = true;  // run() then ends with errc::closed, which is no failure
    exit_code = 0;
    shut_down();
  });
  asio::co_spawn(ioc, run(consul, tls, a, b, o), [&](std::exception_ptr e, int code) {
    if (e && !signalled) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        std::cout << "mtls_echo: " << x.what() << std::endl;
      }
    } else if (!e) {
      exit_code = code;
    }
    shut_down();
  });
  ioc.run();
  return exit_code;
}
