#pragma once
// Test certificates made by the openssl command line in a fresh temporary directory: a CA, a
// server certificate for localhost and 127.0.0.1, a client certificate, and an unrelated CA.

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace coconsul::test {

struct test_certs {
  std::string dir;
  std::string ca_cert, server_cert, server_key, client_cert, client_key, other_ca_cert;

  std::string path(const std::string& name) const { return dir + "/" + name; }
};

inline void run_openssl(const std::string& dir, const std::string& args) {
  std::string cmd = "cd '" + dir + "' && openssl " + args + " >>openssl.log 2>&1";
  if (std::system(cmd.c_str()) != 0) BOOST_FAIL("openssl failed: " + args + " (see " + dir + "/openssl.log)");
}

// Made once per test process, removed at exit.
inline const test_certs& certs() {
  struct owner {
    test_certs c;
    ~owner() {
      std::error_code ignored;
      std::filesystem::remove_all(c.dir, ignored);
    }
  };
  static const owner made{[] {
    char tmpl[] = "/tmp/coconsul-certs-XXXXXX";
    if (!::mkdtemp(tmpl)) BOOST_FAIL("mkdtemp failed");
    test_certs c;
    c.dir = tmpl;
    auto write = [&](const std::string& name, const std::string& text) { std::ofstream(c.path(name)) << text; };
    const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    const std::string ca_ext = "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign";
    run_openssl(c.dir, "req -x509 " + key + " -keyout ca.key -out ca.crt -subj /CN=coconsul-test-ca -days 2 " + ca_ext);
    run_openssl(c.dir, "req -x509 " + key + " -keyout other-ca.key -out other-ca.crt -subj /CN=other-ca -days 2 " + ca_ext);
    write("server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    write("client.ext", "extendedKeyUsage=clientAuth\n");
    run_openssl(c.dir, "req " + key + " -keyout server.key -out server.csr -subj /CN=localhost");
    run_openssl(c.dir, "x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile server.ext");
    run_openssl(c.dir, "req " + key + " -keyout client.key -out client.csr -subj /CN=coconsul-test-client");
    run_openssl(c.dir, "x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 2 -extfile client.ext");
    c.ca_cert = c.path("ca.crt");
    c.other_ca_cert = c.path("other-ca.crt");
    c.server_cert = c.path("server.crt");
    c.server_key = c.path("server.key");
    c.client_cert = c.path("client.crt");
    c.client_key = c.path("client.key");
    return c;
  }()};
  return made.c;
}

}  // namespace coconsul::test
