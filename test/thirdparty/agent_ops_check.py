"""The agent control calls of Debian's python3-consul2 against `coconsul agent -dev`: join,
force_leave, members and node maintenance, with the errors Consul gives (python-consul2 has no
monitor or leave call).

Usage: /usr/bin/python3 agent_ops_check.py PATH/TO/coconsul
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


def expect(what, condition, detail=""):
    if not condition:
        sys.exit("FAILED: " + what + ("\n" + str(detail) if detail else ""))
    print("ok:", what)


def failure(call):
    try:
        call()
    except consul.ConsulException as e:
        return str(e)
    return None


def main():
    agent = DevAgent(sys.argv[1])
    try:
        c = consul.Consul(host=agent.host, port=agent.port)
        members = c.agent.members()
        expect("members", [m["Name"] for m in members] == ["thirdparty"] and members[0]["Status"] == 1, members)
        expect("members wan", c.agent.members(wan=True)[0]["Tags"]["role"] == "consul")

        e = failure(lambda: c.agent.join("10.1.2.3"))
        expect("join of an unreachable address fails with Consul's text",
               e is not None and "Failed to join 10.1.2.3:8301: dial tcp 10.1.2.3:8301: connect: connection refused"
               in e, e)
        expect("join of itself", c.agent.join("127.0.0.1") is True)
        e = failure(lambda: c.agent.force_leave("ghost"))
        expect("force_leave of an unknown node", e is not None and "agent: No node found with name 'ghost'" in e, e)
        expect("force_leave of the agent itself", c.agent.force_leave("thirdparty") is True)

        expect("maintenance on", c.agent.maintenance(True, "patching") is True)
        checks = c.agent.checks()
        expect("the node maintenance check", checks.get("_node_maintenance", {}).get("Notes") == "patching", checks)
        expect("maintenance off", c.agent.maintenance(False) is True)
        expect("no maintenance check after", "_node_maintenance" not in c.agent.checks())
    finally:
        agent.stop()


if __name__ == "__main__":
    main()
