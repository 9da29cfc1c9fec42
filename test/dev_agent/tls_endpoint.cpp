// A TLS health endpoint for the HTTPS check tests (see tls_endpoint.hpp), with a built-in
// self-signed certificate.

#include "tls_endpoint.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace coconsul::test {
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {
constexpr const char* certificate = R"(-----BEGIN CERTIFICATE-----
MIIDJzCCAg+gAwIBAgIUaS7HK24OycnvENrKt/9b6OZhOiMwDQYJKoZIhvcNAQEL
BQAwFDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyNjExMjIyOVoYDzIxMjYx
MTAyMTEyMjI5WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwggEiMA0GCSqGSIb3DQEB
AQUAA4IBDwAwggEKAoIBAQCl7JbCVpSShpec8snTh3J01uOgGAQyd/FDJexyNpUr
9ccBZfjmd5GZBr164oFeX57OmqWOoVOwttB5ENZrirehpKZlOqNIfBtGfVQXg0lj
smpqVcx7dtMageKtFqygWZJeAoBxD1p9kO9ak2yVXjsdXhU3fGyzg5eJ8hmaWF4O
+qjFYDvmsAO0QND24HdnwfiUd4rrwscjlnvNCcN7NAGD4NBRL9xRgMHxmsSluZOe
W9ernZYCn6YqwpCKgCKrx4vDOmCrliV+ynXnVHb2NWbeVWtX2BLAiV8OpVCtTEU5
sMt3YrfAMYIsXuWcjpRu8xpGnH5i3Qz17fwKlzI2QIOTAgMBAAGjbzBtMB0GA1Ud
DgQWBBTl2aODbSkCFlKO+xRUxC0eRl5MUTAfBgNVHSMEGDAWgBTl2aODbSkCFlKO
+xRUxC0eRl5MUTAPBgNVHRMBAf8EBTADAQH/MBoGA1UdEQQTMBGCCWxvY2FsaG9z
dIcEfwAAATANBgkqhkiG9w0BAQsFAAOCAQEAEi3I8BJD4sPgGPsrqM34AokBHbsN
tKmbbhSlAuETaZN85VlldhMCSB1adhSA/HIkSuVJZCOj8E5O6k5dKFmmCuaoE4QL
K5symgBKn0vXZkYGc6VSz4IWcm7yaBbv10xy0PGBw9gr/4EBP4U8LSOp4XyC2Fkq
OE5e7uVprlBMcaVsgW92l8NHgN8SjVeGdfbVCcBYfnqqn7big5eCiFZOGevv4k68
I41/U7uGA+JPaME1H0YwIkDHtMOdtzVEfizA6+m9y5J6uorHvc4CULc/ozvvCyXN
eB+bxHBkFf81FH4R6/mb1g0D7lY3u0j4uAHmhR7vBo5nVTvX2z1QXYOcaw==
-----END CERTIFICATE-----
)";
constexpr const char* private_key = R"(-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCl7JbCVpSShpec
8snTh3J01uOgGAQyd/FDJexyNpUr9ccBZfjmd5GZBr164oFeX57OmqWOoVOwttB5
ENZrirehpKZlOqNIfBtGfVQXg0ljsmpqVcx7dtMageKtFqygWZJeAoBxD1p9kO9a
k2yVXjsdXhU3fGyzg5eJ8hmaWF4O+qjFYDvmsAO0QND24HdnwfiUd4rrwscjlnvN
CcN7NAGD4NBRL9xRgMHxmsSluZOeW9ernZYCn6YqwpCKgCKrx4vDOmCrliV+ynXn
VHb2NWbeVWtX2BLAiV8OpVCtTEU5sMt3YrfAMYIsXuWcjpRu8xpGnH5i3Qz17fwK
lzI2QIOTAgMBAAECggEACKvZoSRnNVUlXUVu+MgOWj7UvIwkxAJysGCt/7YMi7SX
huIuZNUA3e91PZPS0PzMTt3UIyUZO5YCRSF1Iz+noyH4tDehSut5fXCVUXlB/5zW
ZOJBAn7OP4dkMkmKEgM8W/9jeQUlZISLjb9AoHnBOyKsly7Ae404ATSO0/skR0IK
u4nF3cnnSzngqc/chhKZQYH6vox+vA+oXwVgTkiPrHmO8/pOTG58tKfN9udjVvFN
e+ND05/wIpIT2bJU+AsyEEscUdcBhYqi9NIymt1uUqR3lvd4ypOfSGX3IyJV29U/
ktNxaQofcM+BzGEEcHaxVooX0Cn93k5it+qD6bl3MQKBgQDVuxha54A47wfSnNYT
b3coUbonz6YS7vwNz6mSb0AKVPAS7V/W3GFitCN6YBK5in3BFKvbUrGR9nt33ytj
i5GquCIKxQNrIjJgmqBgHU5bygbMi2i9w3jN/SpA8jkcx3uPZU4ych8OtQ7ai7k/
eZAyZ3UJQWYoP1mN70IwOWbuOQKBgQDGvRtNCRH2fHu/qg2BMy6JGJD4VcwIjOwE
st/UsBoWpeqUKmOyIxGu+1qKuUFUokhX084Y8sTpovVef14dWcBfZlhYhTs/9se7
pZAuFpBmfIRE/3sVwEQ5w+CZZxn11NzbMjgU2mcGpJycYKycFFIaYbNaWlwOxajC
Px4CMaqAKwKBgQCpMGUUOOP4rcdsgri4Q+l4olGRiD/4BvTCXhvnDmgMhbZR1VSj
umrg/qaDDiBkfewUdy+f+7MTT6Hnf2NSdr6F/SL9kX2mRjjI3j6MN0a7RI7jRoxQ
g7dSoNDc/qIVVRhLqC8hodNSCiPK/wZS6AEs1VcBT6L1w0g6IicsE5SWiQKBgFt7
wY18l2A3fV+FECJhRRKm1FT8aael9x9Sl+Z4CgpS5eC+gpYFvqYl3k/tZz1mVpbX
UQ/68Nn7wad2SgSIxB0mJ5TX/6Y6G0ctt2j/ygjjWJ/KWwZwMvfESydSZojbK69b
NqWiw7ozHER/2/UdBY5PWxhEcAv8wOpp045+/lVxAoGAIWrtMVffTCj0S558uLqq
qmpEuf9TL7Ya9jOb7Xc8xDh9BL5gQD8Lrl4e8vCeVdHynjrcV2oijIAJk+bPjzNf
VWkBEvnPBijD/bpNZPOt2UFpnEATHlD201dEp+k4LxJSHsAoDLF9/YXswVHnGdBa
CE/CJ2x4wPGES+sc2p2i4AY=
-----END PRIVATE KEY-----
)";
}  // namespace

struct tls_health_endpoint::impl {
  explicit impl(asio::io_context& ioc)
      : ctx(ssl::context::tls_server), acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    ctx.use_certificate_chain(asio::buffer(std::string(certificate)));
    ctx.use_private_key(asio::buffer(std::string(private_key)), ssl::context::pem);
  }
  ssl::context ctx;
  tcp::acceptor acceptor;
  int hits = 0;
};

namespace {
asio::awaitable<void> serve(std::shared_ptr<tls_health_endpoint::impl> self) {
  for (;;) {
    auto [ec, socket] = co_await self->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    ssl::stream<tcp::socket> s(std::move(socket), self->ctx);
    auto [hec] = co_await s.async_handshake(ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
    if (hec) continue;  // e.g. the client refused our certificate
    std::string req;
    auto [rec, n] = co_await asio::async_read_until(s, asio::dynamic_buffer(req), "\r\n\r\n",
                                                    asio::as_tuple(asio::use_awaitable));
    if (rec) continue;
    ++self->hits;
    std::string resp = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nsecure";
    co_await asio::async_write(s, asio::buffer(resp), asio::as_tuple(asio::use_awaitable));
    co_await s.async_shutdown(asio::as_tuple(asio::use_awaitable));
  }
}
}  // namespace

tls_health_endpoint::tls_health_endpoint(asio::io_context& ioc) : impl_(std::make_shared<impl>(ioc)) {
  asio::co_spawn(ioc, serve(impl_), asio::detached);
}

tls_health_endpoint::~tls_health_endpoint() {
  boost::system::error_code ec;
  impl_->acceptor.close(ec);
}

std::string tls_health_endpoint::url(const std::string& host) const {
  return "https://" + host + ":" + std::to_string(impl_->acceptor.local_endpoint().port()) + "/health";
}

int tls_health_endpoint::hits() const { return impl_->hits; }

}  // namespace coconsul::test
