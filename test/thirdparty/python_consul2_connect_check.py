"""Drives the dev agent's Connect CA with Debian's python3-consul2: the roots through the agent
and the servers' endpoints, the CA configuration read and replaced (a rotation to an RSA root).
python-consul2's own leaf call is left out: it requests a path without /v1 (a 404 on Consul too).

Usage: /usr/bin/python3 python_consul2_connect_check.py PATH/TO/coconsul
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import consul  # noqa: E402  (Debian's python3-consul2)
except ImportError:
    print("python3-consul2 is not installed (scripts/install-deps.sh installs it): skipped")
    sys.exit(77)

from agent_process import DevAgent  # noqa: E402


def expect(what, condition):
    if not condition:
        sys.exit("FAILED: " + what)
    print("ok:", what)


def main():
    agent = DevAgent(sys.argv[1])
    try:
        c = consul.Consul(host=agent.host, port=agent.port)

        roots = c.agent.connect.root_certificates()
        expect("one active root", len(roots["Roots"]) == 1 and roots["Roots"][0]["Active"])
        expect("ActiveRootID names it", roots["ActiveRootID"] == roots["Roots"][0]["ID"])
        expect("trust domain", roots["TrustDomain"].endswith(".consul"))
        expect("a PEM root", roots["Roots"][0]["RootCert"].startswith("-----BEGIN CERTIFICATE-----"))
        expect("servers' roots are the agent's", c.connect.certificates.list() == roots)

        config = c.connect.certificates.current()
        expect("built-in provider", config["Provider"] == "consul")
        expect("dev defaults", config["Config"]["LeafCertTTL"] == "72h")

        new = dict(config["Config"], PrivateKeyType="rsa", PrivateKeyBits=2048)
        expect("configuration replaced", c.connect.certificates.put(new, "consul"))
        expect("stored", c.connect.certificates.current()["Config"]["PrivateKeyType"] == "rsa")
        rotated = c.connect.certificates.list()
        expect("rotated: two roots", len(rotated["Roots"]) == 2)
        expect("the new one active, RSA", rotated["Roots"][1]["Active"] and rotated["Roots"][1]["PrivateKeyType"] == "rsa")
        expect("the old one kept, inactive", rotated["Roots"][0]["ID"] == roots["Roots"][0]["ID"]
               and not rotated["Roots"][0]["Active"])
    finally:
        agent.stop()


if __name__ == "__main__":
    main()
