"""Drives the dev agent with Debian's python3-consul2 (the maintained python-consul fork):
if a client written for real Consul works unchanged, the wire format is right.

Usage: /usr/bin/python3 python_consul2_check.py PATH/TO/coconsul
"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import consul  # noqa: E402  (Debian's python3-consul2)
except ImportError:
    print("python3-consul2 is not installed (scripts/install-deps.sh installs it): skipped")
    sys.exit(77)

from agent_process import DevAgent  # noqa: E402
import health_endpoint  # noqa: E402


def eventually(what, predicate, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    sys.exit("timed out waiting for: " + what)


def expect(what, condition):
    if not condition:
        sys.exit("FAILED: " + what)
    print("ok:", what)


def main():
    agent = DevAgent(sys.argv[1], "-check-min-interval", "100ms")
    server, url = health_endpoint.start()
    try:
        c = consul.Consul(host=agent.host, port=agent.port)

        # A fresh agent as a fresh `consul agent -dev` is (the Go test server's readiness check:
        # catalog nodes at index 2 or more, with a known leader).
        index, nodes = c.catalog.nodes()
        expect("fresh catalog index above 1", int(index) >= 2)
        expect("fresh node with its ID, meta and tagged addresses",
               len(nodes) == 1 and len(nodes[0]["ID"]) == 36
               and nodes[0]["Meta"] == {"consul-network-segment": ""}
               and set(nodes[0]["TaggedAddresses"]) == {"lan", "lan_ipv4", "wan", "wan_ipv4"})
        index, services = c.catalog.services()
        expect("fresh catalog services", services == {"consul": []} and int(index) >= 2)
        index, instances = c.catalog.service("consul")
        expect("the consul service", instances[0]["ServicePort"] == 8300
               and instances[0]["ServiceMeta"]["version"] == "1.14.0")
        index, checks = c.health.node("thirdparty")
        expect("fresh serfHealth", [(ch["CheckID"], ch["Status"], ch["Output"]) for ch in checks]
               == [("serfHealth", "passing", "Agent alive and reachable")])
        expect("fresh agent services and checks", c.agent.services() == {} and c.agent.checks() == {})
        me = c.agent.self()
        expect("agent self", me["Config"]["Version"] == "1.14.0" and me["DebugConfig"]["DevMode"] is True
               and me["Member"]["Tags"]["role"] == "consul" and me["Config"]["NodeID"] == nodes[0]["ID"])
        expect("agent members", c.agent.members()[0]["Tags"]["port"] == "8300")

        # A service with an HTTP check, passing once the agent has run it.
        c.agent.service.register("web", service_id="web-1", address="127.0.0.1", port=server.server_address[1],
                                 tags=["v1"], check=consul.Check.http(url, interval="100ms", timeout="1s"))
        expect("agent lists the service", "web-1" in c.agent.services())
        index, nodes = eventually("web passing", lambda: (lambda r: r if r[1] else None)(c.health.service("web", passing=True)))
        expect("health entry has the service", nodes[0]["Service"]["ID"] == "web-1")
        expect("HTTP check output", c.agent.checks()["service:web-1"]["Output"].startswith("HTTP GET " + url + ": 200 OK"))

        # Catalog and health reads.
        index, services = c.catalog.services()
        expect("catalog services", services.get("web") == ["v1"] and "consul" in services)
        index, nodes = c.catalog.nodes()
        expect("catalog nodes", [n["Node"] for n in nodes] == ["thirdparty"])
        index, instances = c.catalog.service("web")
        expect("catalog service", instances[0]["ServicePort"] == server.server_address[1])
        index, checks = c.health.node("thirdparty")
        expect("health node", {ch["CheckID"] for ch in checks} >= {"serfHealth", "service:web-1"})
        index, checks = c.health.checks("web")
        expect("health checks", checks[0]["Status"] == "passing")
        index, state = c.health.state("passing")
        expect("health state", len(state) >= 2)

        # KV with CAS and a blocking get.
        expect("kv put", c.kv.put("app/config", "one") is True)
        index, data = c.kv.get("app/config")
        expect("kv get", data["Value"] == b"one")
        expect("kv cas with a stale index fails", c.kv.put("app/config", "two", cas=data["ModifyIndex"] + 1000) is False)
        expect("kv cas with the current index", c.kv.put("app/config", "two", cas=data["ModifyIndex"]) is True)
        index, data = c.kv.get("app/config")
        threading.Timer(0.3, lambda: c.kv.put("app/config", "three")).start()
        started = time.time()
        new_index, data = c.kv.get("app/config", index=index, wait="10s")
        expect("blocking get woke on the change", new_index > index and data["Value"] == b"three"
               and 0.2 < time.time() - started < 5)
        # The same value again changes nothing: same ModifyIndex, and a watcher sleeps through it
        # to wake on the next real change.
        expect("same-value put answers true", c.kv.put("app/config", "three") is True)
        same_index, same = c.kv.get("app/config")
        expect("same-value put keeps the indexes", same_index == new_index and same["ModifyIndex"] == data["ModifyIndex"])
        threading.Timer(0.3, lambda: (c.kv.put("app/config", "three"), c.kv.put("app/config", "four"))).start()
        newer_index, data = c.kv.get("app/config", index=new_index, wait="10s")
        expect("blocking get slept through the no-op", data["Value"] == b"four" and int(newer_index) > int(new_index))
        index, keys = c.kv.get("app/", keys=True)
        expect("kv keys", keys == ["app/config"])
        expect("kv delete", c.kv.delete("app/", recurse=True) is True)
        index, data = c.kv.get("app/config")
        expect("kv gone", data is None)

        # A session with acquire and release.
        sid = c.session.create(name="lock-holder", ttl=30, lock_delay=0)
        expect("session info", c.session.info(sid)[1]["Name"] == "lock-holder")
        expect("acquire", c.kv.put("locks/leader", "me", acquire=sid) is True)
        index, data = c.kv.get("locks/leader")
        expect("lock held", data["Session"] == sid and data["LockIndex"] == 1)
        other = c.session.create(lock_delay=0)
        expect("second acquire fails", c.kv.put("locks/leader", "you", acquire=other) is False)
        expect("release", c.kv.put("locks/leader", "me", release=sid) is True)
        expect("second acquire now works", c.kv.put("locks/leader", "you", acquire=other) is True)
        index, renewed = 0, c.session.renew(sid)
        expect("renew", renewed["ID"] == sid)
        index, sessions = c.session.list()
        expect("session list", {s["ID"] for s in sessions} == {sid, other})
        expect("destroy", c.session.destroy(sid) is True)
        expect("destroy other", c.session.destroy(other) is True)

        # A TTL check.
        c.agent.check.register("beat", check=consul.Check.ttl("10s"))
        expect("ttl check starts critical", c.agent.checks()["beat"]["Status"] == "critical")
        c.agent.check.ttl_pass("beat", notes="alive")
        expect("ttl pass", c.agent.checks()["beat"]["Status"] == "passing")
        c.agent.check.ttl_warn("beat")
        expect("ttl warn", c.agent.checks()["beat"]["Status"] == "warning")
        c.agent.check.deregister("beat")
        expect("check deregistered", "beat" not in c.agent.checks())

        c.agent.service.deregister("web-1")
        expect("service deregistered", "web-1" not in c.agent.services())
        expect("status leader", c.status.leader() == agent.host + ":8300")
        print("python3-consul2: all checks passed")
    finally:
        server.shutdown()
        agent.stop()


if __name__ == "__main__":
    main()
