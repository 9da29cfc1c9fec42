"""`coconsul agent` as Consul's harnesses run it: Consul's flags and JSON config files, the
banner, `coconsul version`, a port of -1, definitions from a config file visible through
/v1/agent/services, and a reload (SIGHUP and PUT /v1/agent/reload) after editing the file.
Standard library only; every wait has a deadline, and changes are awaited with blocking queries.

Usage: python3 agent_cli_check.py PATH/TO/coconsul
"""
import json
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from cli_check_support import TIMEOUT, expect



class Agent:
    """A `coconsul agent` process whose stdout is read on a thread, so reads can time out."""

    def __init__(self, binary, *args):
        self.proc = subprocess.Popen([binary, "agent", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
        self.lines = queue.Queue()
        self.seen = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, pattern, what):
        """The first line (from here on) matching `pattern`."""
        while True:
            try:
                line = self.lines.get(timeout=TIMEOUT)
            except queue.Empty:
                line = None
            if line is None:
                self.proc.kill()
                sys.exit("FAILED: no line matching %r (%s)\nseen:\n%s" % (pattern, what, "".join(self.seen)))
            self.seen.append(line)
            m = re.search(pattern, line)
            if m:
                return m

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        self.proc.wait(timeout=TIMEOUT)
        return self.proc.returncode


def http(address, method, path, body=None):
    req = urllib.request.Request("http://%s%s" % (address, path), method=method,
                                 data=body.encode() if body is not None else None)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def services(address):
    status, _, body = http(address, "GET", "/v1/agent/services")
    expect("GET /v1/agent/services answers 200", status == 200, body)
    return json.loads(body)


def await_catalog_change(address, index):
    """Waits (a blocking query, not a sleep) until the catalog's services move past `index`."""
    status, headers, body = http(address, "GET", "/v1/catalog/services?index=%d&wait=10s" % index)
    expect("the blocking query answers 200", status == 200, body)
    return int(headers["X-Consul-Index"])


def catalog_index(address):
    _, headers, _ = http(address, "GET", "/v1/catalog/services")
    return int(headers["X-Consul-Index"])


def run(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=TIMEOUT)


def check_version(binary):
    r = run(binary, "version")
    lines = r.stdout.splitlines()
    expect("`coconsul version` in `consul version`'s format",
           r.returncode == 0 and lines[0] == "Consul v1.14.0" and lines[1] == "Revision coconsul"
           and lines[2].startswith("Build Date ")
           and lines[3] == "Protocol 2 spoken by default, understands 2 to 3 (agent will automatically use "
                           "protocol >2 when speaking to compatible agents)"
           and lines[4].startswith("coconsul v0.1.0"), r.stdout)
    r = run(binary, "version", "-format=json")
    info = json.loads(r.stdout)
    expect("`coconsul version -format=json` has Consul's fields and coconsul's own",
           info["Version"] == "1.14.0" and info["RPC"] == {"Default": 2, "Min": 2, "Max": 3}
           and info["Coconsul"]["Version"] == "0.1.0", r.stdout)
    expect("`coconsul --version` is the version command", run(binary, "--version").stdout == run(binary, "version").stdout)


def check_refusals(binary, tmp):
    r = run(binary, "agent", "-dev", "-bogus")
    expect("an unknown flag: Go's text, exit 1",
           r.returncode == 1 and "error parsing flags: flag provided but not defined: -bogus" in r.stderr, r.stderr)
    bad = os.path.join(tmp, "bad.json")
    with open(bad, "w") as f:
        json.dump({"node_name": "x", "bogus_key": 1}, f)
    r = run(binary, "agent", "-dev", "-config-file", bad)
    expect("an unknown config key: Consul's text, exit 1",
           r.returncode == 1 and ("failed to parse %s: 1 error occurred:" % bad) in r.stderr
           and "* invalid config key bogus_key" in r.stderr, r.stderr)
    hcl = os.path.join(tmp, "agent.hcl")
    with open(hcl, "w") as f:
        f.write('node_name = "x"\n')
    r = run(binary, "agent", "-dev", "-config-file", hcl)
    expect("an HCL file: a clear error that says to use JSON",
           r.returncode == 1 and "HCL is not supported by coconsul" in r.stderr and "JSON" in r.stderr, r.stderr)
    r = run(binary, "agent", "-http-port", "0")
    expect("without -dev, a data_dir is required, as in Consul",
           r.returncode == 1 and "data_dir cannot be empty" in r.stderr, r.stderr)
    r = run(binary, "agent", "-dev", "-bootstrap-expect", "3")
    expect("bootstrap_expect in dev mode refused",
           r.returncode == 1 and "'bootstrap_expect > 0' not allowed in dev mode" in r.stderr, r.stderr)
    r = run(binary, "agent", "-dev", "-config-file", os.path.join(tmp, "missing.json"))
    expect("a missing config file: Consul's text",
           r.returncode == 1 and "config: Open failed on" in r.stderr and "no such file or directory" in r.stderr,
           r.stderr)


def check_banner_and_definitions(binary, tmp):
    conf_dir = os.path.join(tmp, "conf.d")
    os.mkdir(conf_dir)
    web = os.path.join(conf_dir, "10-web.json")
    with open(web, "w") as f:
        json.dump({"service": {"name": "web", "id": "web-1", "port": 8080, "tags": ["v1"],
                               "check": {"id": "web-ttl", "ttl": "30s"}}}, f)
    with open(os.path.join(conf_dir, "20-db.json"), "w") as f:
        json.dump({"services": [{"Name": "db", "Port": 5432, "EnableTagOverride": True}],
                   "data_dir": "/nonexistent", "disable_update_check": True}, f)
    with open(os.path.join(conf_dir, "notes.txt"), "w") as f:
        f.write("not config")
    agent = Agent(binary, "-dev", "-config-dir", conf_dir, "-http-port", "0", "-dns-port", "-1",
                  "-node", "cli-node", "-node-meta", "rack:r1", "-datacenter", "DC7", "-log-level", "info")
    agent.wait_for(r"everything in memory", "the in-memory notice")
    ignored = agent.wait_for(r"without effect here: (.*)", "the ignored keys").group(1)
    # data_dir is used: /v1/acl/bootstrap reads its reset file there.
    expect("the ignored keys are listed once", ignored.split(", ") == ["disable_update_check"], ignored)
    agent.wait_for(r"==> Starting Consul agent\.\.\.", "the banner")
    agent.wait_for(r"Node name: 'cli-node'", "the node name")
    agent.wait_for(r"Datacenter: 'dc7' \(Segment: '<all>'\)", "the datacenter, lower-cased")
    client = agent.wait_for(r"Client Addr: \[127\.0\.0\.1\] \(HTTP: (\d+), HTTPS: -1, gRPC: 8502, gRPC-TLS: -1, "
                            r"DNS: -1\)", "Consul's Client Addr line")
    address = agent.wait_for(r"HTTP address: (\S+)", "the HTTP address").group(1)
    expect("the Client Addr line has the port the agent listens on", address.endswith(":" + client.group(1)))
    agent.wait_for(r"Consul agent running!", "Consul's running line")

    got = services(address)
    expect("definitions from the config dir are registered",
           sorted(got) == ["db", "web-1"] and got["web-1"]["Port"] == 8080 and got["web-1"]["Tags"] == ["v1"]
           and got["db"]["EnableTagOverride"] is True, got)
    status, _, body = http(address, "GET", "/v1/agent/checks")
    expect("the service's check from the config file is there", "web-ttl" in json.loads(body), body)
    status, _, body = http(address, "GET", "/v1/catalog/node/cli-node")
    expect("the catalog has the node", status == 200, body)

    # The user edits the file: SIGHUP re-applies it, as Consul's agent does.
    index = catalog_index(address)
    with open(web, "w") as f:
        json.dump({"service": {"name": "web", "id": "web-1", "port": 9090}}, f)
    agent.proc.send_signal(signal.SIGHUP)
    deadline = time.time() + TIMEOUT
    while services(address)["web-1"]["Port"] != 9090 and time.time() < deadline:
        index = await_catalog_change(address, index)
    expect("SIGHUP re-applied the edited definition", services(address)["web-1"]["Port"] == 9090)

    os.remove(web)
    status, _, body = http(address, "PUT", "/v1/agent/reload")
    expect("PUT /v1/agent/reload answers 200 with an empty body", status == 200 and body == "", (status, body))
    expect("a definition removed from the files is deregistered", sorted(services(address)) == ["db"])

    with open(os.path.join(conf_dir, "30-bad.json"), "w") as f:
        json.dump({"bogus": True}, f)
    status, _, body = http(address, "PUT", "/v1/agent/reload")
    expect("a reload of a config Consul refuses: 500 with the reason",
           status == 500 and "invalid config key bogus" in body, (status, body))
    expect("and nothing changed", sorted(services(address)) == ["db"])
    expect("SIGTERM: exit 0", agent.stop() == 0)


def check_disabled_http_and_json_logs(binary, tmp):
    agent = Agent(binary, "-dev", "-http-port", "-1", "-dns-port", "-1", "-node", "quiet")
    client = agent.wait_for(r"Client Addr: .*\(HTTP: (-?\d+),", "the Client Addr line")
    expect("-http-port -1: no HTTP listener, as Consul reports it", client.group(1) == "-1")
    agent.wait_for(r"Consul agent running!", "running")
    expect("no HTTP address line without HTTP", not any("HTTP address:" in l for l in agent.seen), agent.seen)
    expect("-http-port -1: SIGINT still stops it, exit 0", agent.stop(signal.SIGINT) == 0)

    agent = Agent(binary, "-dev", "-http-port", "0", "-dns-port", "-1", "-log-json", "-log-level", "info")
    m = agent.wait_for(r"^\{.*\}$", "a JSON log line")
    line = json.loads(m.group(0))
    expect("-log-json: hclog's keys", sorted(line) == ["@level", "@message", "@module", "@timestamp"], line)
    expect("-log-json: no banner (Consul's -log-json prints only logs)",
           not any("Starting Consul agent" in l for l in agent.seen), agent.seen)
    expect("SIGTERM: exit 0", agent.stop() == 0)


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        check_version(binary)
        check_refusals(binary, tmp)
        check_banner_and_definitions(binary, tmp)
        check_disabled_http_and_json_logs(binary, tmp)
    print("agent cli: all checks passed")


if __name__ == "__main__":
    main()
