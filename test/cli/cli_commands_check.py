"""The coconsul tool's client commands as a user runs them: services, watch service, kv
get/put/delete/list, register and deregister, against a real `coconsul agent -dev` process.
Standard library only; every wait has a timeout.

Usage: python3 cli_commands_check.py PATH/TO/coconsul
"""
import base64
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from scripted_agent import ScriptedAgent

from cli_check_support import TIMEOUT, expect



class Lines:
    """A process's stdout, read line by line on a thread so that reads can time out."""

    def __init__(self, stream):
        self.queue = queue.Queue()
        self.seen = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream):
        for line in stream:
            self.queue.put(line)
        self.queue.put(None)

    def next(self, what):
        try:
            line = self.queue.get(timeout=TIMEOUT)
        except queue.Empty:
            sys.exit("FAILED: no line within %d s: %s\nseen so far:\n%s" % (TIMEOUT, what, "".join(self.seen)))
        if line is None:
            sys.exit("FAILED: the output ended before: %s\nseen so far:\n%s" % (what, "".join(self.seen)))
        self.seen.append(line)
        return line


class Cli:
    def __init__(self, binary, address):
        self.binary = binary
        self.env = dict(os.environ, CONSUL_HTTP_ADDR="http://" + address)
        self.env.pop("CONSUL_HTTP_TOKEN", None)
        self.env.pop("CONSUL_HTTP_TOKEN_FILE", None)

    def run(self, *args, stdin=None, env=None):
        return subprocess.run([self.binary, *args], input=stdin, capture_output=True, timeout=TIMEOUT,
                              env=env or self.env)

    def ok(self, what, *args, stdin=None):
        r = self.run(*args, stdin=stdin)
        expect(what, r.returncode == 0, "exit %d\nstdout: %r\nstderr: %r" % (r.returncode, r.stdout, r.stderr))
        return r.stdout.decode()

    def start(self, *args):
        proc = subprocess.Popen([self.binary, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=self.env)
        return proc, Lines(proc.stdout)


def start_agent(binary):
    proc = subprocess.Popen([binary, "agent", "-dev", "-http-port", "0", "-dns-port", "0", "-node", "cli-node", "-log-level", "warn"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = Lines(proc.stdout)
    while True:
        line = lines.next("the agent's HTTP address")
        if "HTTP address:" in line:
            return proc, line.split("HTTP address:")[1].strip()


def unused_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_kv(cli):
    out = cli.ok("kv put a value with spaces", "kv", "put", "greeting", "hello, wide world")
    expect("kv put says what it wrote", out == "Success! Data written to: greeting\n", out)
    expect("kv get prints the value", cli.ok("kv get", "kv", "get", "greeting") == "hello, wide world\n")

    cli.ok("kv put from stdin", "kv", "put", "app/notes", "-", stdin=b"line one\nline two\n\x00binary")
    r = cli.run("kv", "get", "app/notes")
    expect("a value from stdin comes back byte for byte", r.stdout == b"line one\nline two\n\x00binary\n", repr(r.stdout))

    cli.ok("kv put with -flags", "kv", "put", "-flags", "42", "app/port", "8080")
    detailed = cli.ok("kv get -detailed", "kv", "get", "app/port", "-detailed")
    rows = dict(line.split(None, 1) for line in detailed.splitlines())
    expect("-detailed shows flags, key and value",
           rows.get("Flags") == "42" and rows.get("Key") == "app/port" and rows.get("Value") == "8080", detailed)
    entry = json.loads(cli.ok("kv get -json", "kv", "get", "--json", "app/port"))
    expect("-json is Consul's entry with a base64 value",
           entry["Key"] == "app/port" and base64.b64decode(entry["Value"]) == b"8080" and entry["Flags"] == 42, entry)

    r = cli.run("kv", "put", "-cas", "0", "app/port", "9090")
    expect("-cas 0 on an existing key fails with exit 1", r.returncode == 1 and b"did not write" in r.stderr, r.stderr)
    cli.ok("-cas with the current ModifyIndex writes", "kv", "put", "-cas=%d" % entry["ModifyIndex"], "app/port", "9090")
    expect("the check-and-set value is stored", cli.ok("kv get", "kv", "get", "app/port") == "9090\n")

    cli.ok("kv put a nested key", "kv", "put", "app/db/host", "db.local")
    expect("kv list PREFIX lists every key under it",
           cli.ok("kv list", "kv", "list", "app/").splitlines() == ["app/db/host", "app/notes", "app/port"])
    expect("kv list -separator lists like a directory",
           cli.ok("kv list -separator", "kv", "list", "app/", "-separator", "/").splitlines()
           == ["app/db/", "app/notes", "app/port"])

    r = cli.run("kv", "get", "no/such/key")
    expect("kv get of a missing key: exit 1, a message on stderr, nothing on stdout",
           r.returncode == 1 and b"no key exists at: no/such/key" in r.stderr and r.stdout == b"", r)

    out = cli.ok("kv delete", "kv", "delete", "greeting")
    expect("kv delete says what it deleted", out == "Success! Deleted key: greeting\n", out)
    expect("a deleted key is gone", cli.run("kv", "get", "greeting").returncode == 1)
    cli.ok("kv delete -recurse", "kv", "delete", "-recurse", "app/")
    expect("-recurse deleted the whole prefix", cli.ok("kv list", "kv", "list", "app/") == "")


def service_names(cli):
    return [line.split()[0] for line in cli.ok("services", "services").splitlines()]


def check_register(cli, tmp):
    wrapped = os.path.join(tmp, "web.json")
    with open(wrapped, "w") as f:
        json.dump({"Service": {"ID": "web-1", "Name": "web", "Port": 8080, "Address": "127.0.0.1",
                               "Tags": ["primary", "v1"]}}, f)
    bare = os.path.join(tmp, "api.json")
    with open(bare, "w") as f:  # the bare registration, with configuration-file spellings
        json.dump({"name": "api", "port": 9090, "tags": ["internal"], "meta": {"team": "core"}}, f)

    out = cli.ok("register {\"Service\": {...}}", "register", wrapped)
    expect("register names the service", out == "Registered service: web\n", out)
    cli.ok("register a bare registration", "register", bare)

    table = cli.ok("services", "services")
    lines = {line.split()[0]: line.split()[1:] for line in table.splitlines()}
    expect("services lists both with their tags",
           lines.get("web") == ["primary,v1"] and lines.get("api") == ["internal"], table)
    listed = json.loads(cli.ok("services -json", "services", "-json"))
    expect("services -json maps names to tags",
           sorted(listed["web"]) == ["primary", "v1"] and listed["api"] == ["internal"], listed)

    out = cli.ok("deregister ID", "deregister", "web-1")
    expect("deregister names the service", out == "Deregistered service: web-1\n", out)
    expect("a deregistered service leaves the list", "web" not in service_names(cli))
    cli.ok("deregister a definition file", "deregister", bare)
    expect("the file's service is gone too", "api" not in service_names(cli))

    r = cli.run("deregister", "web-1")
    expect("deregistering an unknown ID: exit 1 with Consul's message",
           r.returncode == 1 and b'Unknown service ID "web-1"' in r.stderr, r.stderr)
    broken = os.path.join(tmp, "broken.json")
    with open(broken, "w") as f:
        f.write('{"Service": {"Name": "web",')
    r = cli.run("register", broken)
    expect("a file that is not JSON: exit 1 naming the file",
           r.returncode == 1 and b"broken.json is not valid JSON" in r.stderr, r.stderr)
    with open(broken, "w") as f:
        json.dump({"Service": {"Name": "web", "Port": "eighty"}}, f)
    r = cli.run("register", broken)
    expect("a field of the wrong type: exit 1 naming the field",
           r.returncode == 1 and b"Port" in r.stderr and b"expected a number" in r.stderr, r.stderr)
    r = cli.run("register", os.path.join(tmp, "missing.json"))
    expect("a missing file: exit 1", r.returncode == 1 and b"cannot read" in r.stderr, r.stderr)


def register(cli, tmp, definition):
    path = os.path.join(tmp, definition["ID"] + ".json")
    with open(path, "w") as f:
        json.dump(definition, f)
    cli.ok("register " + definition["ID"], "register", path)


def check_watch(cli, tmp):
    register(cli, tmp, {"ID": "web-1", "Name": "web", "Port": 8080, "Address": "127.0.0.1", "Tags": ["v1"]})

    proc, lines = cli.start("watch", "service", "web", "-json")
    first = json.loads(lines.next("the first snapshot"))
    expect("watch -json starts with the current state",
           first["service"] == "web" and first["index"] > 0 and len(first["endpoints"]) == 1
           and first["endpoints"][0]["service_id"] == "web-1" and first["endpoints"][0]["port"] == 8080
           and first["endpoints"][0]["health"] == "passing", first)
    register(cli, tmp, {"ID": "web-2", "Name": "web", "Port": 8081, "Address": "127.0.0.1", "Tags": ["v2"]})
    second = json.loads(lines.next("a snapshot after the second instance registered"))
    expect("a second instance gives a new line with it added",
           second["index"] > first["index"] and len(second["endpoints"]) == 2
           and [e["service_id"] for e in second["added"]] == ["web-2"], second)
    proc.send_signal(signal.SIGINT)
    expect("watch exits 0 on SIGINT", proc.wait(timeout=TIMEOUT) == 0, proc.stderr.read())

    proc, lines = cli.start("watch", "service", "web")
    got = sorted(lines.next("text line %d" % i).strip() for i in range(2))
    expect("watch prints one line per endpoint with address, port and health",
           got[0].startswith("index ") and got[0].endswith(": added web-1 at 127.0.0.1:8080 on cli-node (passing)")
           and got[1].endswith(": added web-2 at 127.0.0.1:8081 on cli-node (passing)"), got)
    cli.ok("deregister web-2", "deregister", "web-2")
    line = lines.next("the removal").strip()
    expect("a removal is a line", line.endswith(": removed web-2 at 127.0.0.1:8081 on cli-node (passing)"), line)
    proc.send_signal(signal.SIGTERM)
    expect("watch exits 0 on SIGTERM", proc.wait(timeout=TIMEOUT) == 0, proc.stderr.read())

    # An instance whose TTL check has not passed yet is critical.
    register(cli, tmp, {"ID": "web-3", "Name": "web", "Port": 8083, "Address": "127.0.0.1", "Tags": ["v1", "canary"],
                        "Check": {"TTL": "60s"}})
    once = json.loads(cli.ok("watch -once", "watch", "service", "web", "-once", "-json"))
    expect("by default only passing instances", [e["service_id"] for e in once["endpoints"]] == ["web-1"], once)
    everything = json.loads(cli.ok("watch -all", "watch", "service", "web", "-all", "-once", "-json"))
    health = {e["service_id"]: e["health"] for e in everything["endpoints"]}
    expect("-all includes the critical instance", health == {"web-1": "passing", "web-3": "critical"}, everything)
    tagged = json.loads(cli.ok("watch -tag", "watch", "service", "web", "-all", "-tag", "v1", "-tag", "canary",
                               "-once", "-json"))
    expect("repeated -tag keeps instances with every tag", [e["service_id"] for e in tagged["endpoints"]] == ["web-3"],
           tagged)
    out = cli.ok("watch an unknown service", "watch", "service", "nothing-here", "-once")
    expect("an empty service says so", out.endswith(": no passing instances of nothing-here\n"), out)
    cli.ok("clean up", "deregister", "web-1")
    cli.ok("clean up", "deregister", "web-3")


def health_entry(service_id, address):
    return {"Node": {"Node": "n1", "Address": address},
            "Service": {"ID": service_id, "Service": "web", "Address": address, "Port": 8080}, "Checks": []}


def answer(index, entries):
    return 200, {"X-Consul-Index": str(index)}, json.dumps(entries).encode()


def check_watch_failures(binary):
    """Answers that can never decode end `watch -once` with exit 1 and the message; a long watch
    rides out failures (a 400 included), saying once when they start and once when they end;
    server text is shown with its control characters escaped."""
    never = [("X-Consul-Index: abc", lambda n, p: (200, {"X-Consul-Index": "abc"}, b"[]"),
              'malformed X-Consul-Index header: "abc"'),
             ("X-Consul-Index: -1", lambda n, p: (200, {"X-Consul-Index": "-1"}, b"[]"),
              'malformed X-Consul-Index header: "-1"'),
             ("X-Consul-Index: 2^64", lambda n, p: (200, {"X-Consul-Index": "18446744073709551616"}, b"[]"),
              'malformed X-Consul-Index header: "18446744073709551616"'),
             ("an object for a list", lambda n, p: (200, {"X-Consul-Index": "5"}, b'{"Service": {}}'),
              "decode error: expected an array, got object"),
             ("a string for a port", lambda n, p: (200, {"X-Consul-Index": "5"}, b'[{"Service": {"Port": "80"}}]'),
              "decode error: [0].Service.Port: expected a number, got string"),
             ("a 400 with escape sequences", lambda n, p: (400, {}, b"bad \x1b[2J filter\nforged line"),
              "bad \\x1b[2J filter\\x0aforged line")]
    for what, script, says in never:
        with ScriptedAgent(script) as agent:
            cli = Cli(binary, agent.address)
            started = time.monotonic()
            r = cli.run("watch", "service", "web", "-once")
            err = r.stderr.decode()
            expect("watch -once, %s: exit 1 with the message" % what,
                   r.returncode == 1 and says in err and "\x1b" not in err and err.count("\n") == 1,
                   "exit %d after %.1f s\nstderr: %r" % (r.returncode, time.monotonic() - started, err))

    web1 = health_entry("web-1\x1b]0;owned\x07", "10.0.0.1")
    web2 = health_entry("web-2", "10.0.0.2")

    def script(n, path):
        if n <= 3:
            return 500, {}, b"rpc error: \x1b[31mno leader\x1b[0m"
        if n == 4:
            return answer(7, [web1])
        if n <= 6:
            return 400, {}, b"Bad request"
        if "index=9" in path:
            time.sleep(0.2)  # a blocking query with nothing new: answer as a wait that ran out
        return answer(9, [web1, web2])

    with ScriptedAgent(script) as agent:
        cli = Cli(binary, agent.address)
        proc = subprocess.Popen([binary, "watch", "service", "web"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=cli.env)
        out, err = Lines(proc.stdout), Lines(proc.stderr)
        warning = err.next("the warning when failures start").rstrip("\n")
        expect("a failing watch warns once, with the server's text escaped",
               warning.startswith("coconsul watch: warning: watching web failed, retrying with backoff: ")
               and "\\x1b[31mno leader" in warning and "\x1b" not in warning, warning)
        back = err.next("the line when the watch recovers").rstrip("\n")
        expect("one line when it recovers, after the three failures",
               back == "coconsul watch: watching web again after 3 failed queries", "".join(err.seen))
        line = out.next("the first state").rstrip("\n")
        expect("the state after the failures, control characters escaped",
               line == "index 7: added web-1\\x1b]0;owned\\x07 at 10.0.0.1:8080 on n1 (passing)", line)
        warning = err.next("the warning for the 400").rstrip("\n")
        expect("a 400 does not end a long watch: it warns",
               warning.startswith("coconsul watch: warning: watching web failed") and "Bad request" in warning, warning)
        back = err.next("the line when the watch recovers again").rstrip("\n")
        expect("and says when it is back", back == "coconsul watch: watching web again after 2 failed queries", back)
        line = out.next("the change while it was failing").rstrip("\n")
        expect("what changed meanwhile, not everything again",
               line == "index 9: added web-2 at 10.0.0.2:8080 on n1 (passing)", "".join(out.seen))
        proc.send_signal(signal.SIGINT)
        expect("the watch exits 0 on SIGINT", proc.wait(timeout=TIMEOUT) == 0, "".join(err.seen))
        expect("no other stdout line", out.seen == [out.seen[0], out.seen[1]], "".join(out.seen))


def check_usage(cli):
    helps = [(["services"], "Usage: coconsul services"), (["watch"], "Usage: coconsul watch service NAME"),
             (["watch", "service"], "Usage: coconsul watch service NAME"),
             (["kv"], "Usage: coconsul kv <subcommand>"), (["kv", "get"], "Usage: coconsul kv get KEY"),
             (["kv", "put"], "Usage: coconsul kv put KEY [VALUE]"), (["kv", "delete"], "Usage: coconsul kv delete KEY"),
             (["kv", "list"], "Usage: coconsul kv list [PREFIX]"), (["register"], "Usage: coconsul register FILE.json"),
             (["deregister"], "Usage: coconsul deregister ID"), ([], "Usage: coconsul <command>")]
    for args, usage in helps:
        for flag in ("-h", "--help"):
            r = cli.run(*args, flag)
            expect("%s exits 0 with its usage" % " ".join(["coconsul", *args, flag]),
                   r.returncode == 0 and r.stdout.decode().startswith(usage), r.stdout.decode())
    top = cli.run("--help").stdout.decode()
    expect("the top-level usage lists every command",
           all(c in top for c in ("agent -dev", "services", "watch service NAME", "kv get KEY", "kv put KEY",
                                   "kv delete KEY", "kv list", "register FILE.json", "deregister ID")), top)

    bad = [(["frobnicate"], 'unknown command "frobnicate"'), (["kv", "frob"], 'unknown subcommand "frob"'),
           (["kv"], "missing a subcommand"), (["kv", "get", "-bogus", "k"], 'unknown flag "-bogus"'),
           (["kv", "get"], "missing the key"), (["kv", "get", "a", "b"], 'unexpected argument "b"'),
           (["kv", "put", "k", "v", "-flags", "many"], '-flags: "many" is not a non-negative integer'),
           (["kv", "put", "k", "v", "-cas"], "-cas needs a value"),
           (["services", "-json=yes"], "-json takes no value"),
           (["watch"], "missing what to watch"), (["watch", "key", "x"], 'cannot watch "key"'),
           (["watch", "service"], "missing the service name"), (["register"], "missing the service definition file"),
           (["deregister"], "missing the service ID")]
    for args, message in bad:
        r = cli.run(*args)
        expect("%s exits 2 saying %s" % (" ".join(["coconsul", *args]), message),
               r.returncode == 2 and message in r.stderr.decode(), r.stderr.decode())


def check_unreachable(cli, good_address):
    nowhere = "http://127.0.0.1:%d" % unused_port()
    env = dict(cli.env, CONSUL_HTTP_ADDR=nowhere)
    for args in (["kv", "get", "k"], ["services"], ["watch", "service", "web"], ["register", "-"]):
        stdin = b'{"Name": "web"}' if args[0] == "register" else None
        r = cli.run(*args, env=env, stdin=stdin)
        expect("an unreachable agent: %s exits 1 saying so" % " ".join(args),
               r.returncode == 1 and b"could not connect to the agent" in r.stderr and nowhere[7:].encode() in r.stderr,
               r.stderr.decode())
    r = cli.run("kv", "list", "-http-addr=http://" + good_address, env=env)
    expect("-http-addr overrides CONSUL_HTTP_ADDR", r.returncode == 0, r.stderr.decode())
    r = cli.run("kv", "list", "-http-addr", "ftp://somewhere", env=env)
    expect("a bad address: exit 1 saying why", r.returncode == 1 and b"ftp" in r.stderr, r.stderr.decode())


def main():
    binary = sys.argv[1]
    agent, address = start_agent(binary)
    try:
        cli = Cli(binary, address)
        with tempfile.TemporaryDirectory() as tmp:
            check_kv(cli)
            check_register(cli, tmp)
            check_watch(cli, tmp)
        check_usage(cli)
        check_unreachable(cli, address)
        check_watch_failures(binary)
    finally:
        agent.send_signal(signal.SIGTERM)
        agent.wait(timeout=TIMEOUT)
    print("cli commands: all checks passed")


if __name__ == "__main__":
    main()
