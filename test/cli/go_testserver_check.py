"""`coconsul agent` started the way HashiCorp's Go test server starts `consul agent`
(sdk/testutil/server.go): the JSON config it writes, `agent -config-file <dir>/config.json`, and
its readiness checks, with their timings.

  --waits api,leader,ca,serf   which checks to run (default: all of them)
    api     waitForAPI: GET /v1/status/leader every 25 ms for the full 2 s; the last try must get
            an HTTP response (any status)
    leader  WaitForLeader: GET /v1/catalog/nodes 200, X-Consul-KnownLeader: true, X-Consul-Index >= 2
    ca      WaitForActiveCARoot: GET /v1/agent/connect/ca/roots 200 with an ActiveRootID and a root
    serf    WaitForSerfCheck: the first node of /v1/catalog/nodes?index=0 has the serfHealth check
  Each of leader, ca and serf retries every 25 ms for 7 s (the SDK's retry.Run defaults).
Then AddService's calls (service register, its TTL check, a pass) must each answer 200, and
SIGINT (the SDK's Stop) must end the process with status 0.

Usage: python3 go_testserver_check.py PATH/TO/coconsul [--waits api,leader,ca,serf]
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

from cli_check_support import expect


def free_ports(n):
    """Like the SDK's freeport.GetN: n ports nothing listens on right now."""
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def server_config(data_dir):
    """defaultServerConfig, marshalled as Go's encoding/json does (struct order, omitempty)."""
    node_id = str(uuid.uuid4())
    dns, http, https, serf_lan, serf_wan, server, grpc, grpc_tls = free_ports(8)
    config = {
        "node_name": "node-" + node_id,
        "node_id": node_id,
        "performance": {"raft_multiplier": 1},
        "bootstrap": True,
        "server": True,
        "data_dir": data_dir,
        "segments": None,
        "disable_update_check": True,
        "log_level": "debug",
        "bind_addr": "127.0.0.1",
        "addresses": {},
        "ports": {"dns": dns, "http": http, "https": https, "serf_lan": serf_lan, "serf_wan": serf_wan,
                  "server": server, "grpc": grpc, "grpc_tls": grpc_tls},
        "acl": {"tokens": {}},
        "connect": {"ca_config": {"cluster_id": "11111111-2222-3333-4444-555555555555"}, "enabled": True},
        "skip_leave_on_interrupt": True,
        "peering": {"enabled": True},
    }
    return config, http


def get(url):
    """(status, headers, body) for any HTTP answer; None when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()
    except (urllib.error.URLError, ConnectionError, socket.timeout):
        return None


def request(method, url, body=None):
    req = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None)
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def wait_for_api(base):
    """waitForAPI: tries for the whole 2 s; what counts is the last try."""
    failed = True
    deadline = time.time() + 2
    while time.time() <= deadline:
        time.sleep(0.025)
        failed = get(base + "/v1/status/leader") is None
    return not failed


def retry(what, attempt, timeout=7.0, wait=0.025):
    """retry.Run: attempt() returns None when it passes, else why it did not."""
    deadline = time.time() + timeout
    why = "never tried"
    while time.time() < deadline:
        why = attempt()
        if why is None:
            return
        time.sleep(wait)
    sys.exit("FAILED: %s within %.0f s: %s" % (what, timeout, why))


def wait_for_leader(base):
    def attempt():
        r = get(base + "/v1/catalog/nodes")
        if r is None:
            return "no answer"
        status, headers, body = r
        if status != 200:
            return "status %d: %r" % (status, body)
        if headers.get("X-Consul-KnownLeader") != "true":
            return "X-Consul-KnownLeader: %r" % headers.get("X-Consul-KnownLeader")
        try:
            index = int(headers.get("X-Consul-Index", ""))
        except ValueError:
            return "bad consul index: %r" % headers.get("X-Consul-Index")
        if index < 2:
            return "consul index should be at least 2 (got %d)" % index
        return None
    retry("WaitForLeader", attempt)
    print("ok: WaitForLeader")


def wait_for_active_ca_root(base):
    def attempt():
        r = get(base + "/v1/agent/connect/ca/roots")
        if r is None:
            return "no answer"
        status, _, body = r
        if status != 200:
            return "status %d: %r" % (status, body)
        roots = json.loads(body)
        if not roots.get("ActiveRootID") or len(roots.get("Roots") or []) < 1:
            return "200 but without roots: %r" % roots
        return None
    retry("WaitForActiveCARoot", attempt)
    print("ok: WaitForActiveCARoot")


def wait_for_serf_check(base):
    def attempt():
        r = get(base + "/v1/catalog/nodes?index=0")
        if r is None or r[0] != 200:
            return "catalog/nodes: %r" % (r,)
        nodes = json.loads(r[2])
        if not nodes:
            return "no nodes"
        r = get(base + "/v1/health/node/" + nodes[0]["Node"])
        if r is None or r[0] != 200:
            return "health/node: %r" % (r,)
        if not any(c.get("CheckID") == "serfHealth" for c in json.loads(r[2])):
            return "no serfHealth check yet"
        return None
    retry("WaitForSerfCheck", attempt)
    print("ok: WaitForSerfCheck")


def add_service(base):
    """server_methods.go's AddService: register, a TTL check, then pass it; each must be 200."""
    status, body = request("PUT", base + "/v1/agent/service/register",
                           {"ID": "redis", "Name": "redis", "Tags": ["primary"], "Address": "", "Port": 6379})
    expect("AddService: the service registers", status == 200, body)
    status, body = request("PUT", base + "/v1/agent/check/register",
                           {"ID": "service:redis", "Name": "service:redis", "ServiceID": "redis", "TTL": "10m"})
    expect("AddService: its TTL check registers", status == 200, body)
    status, body = request("PUT", base + "/v1/agent/check/pass/service:redis")
    expect("AddService: the check passes", status == 200, body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--waits", default="api,leader,ca,serf")
    args = parser.parse_args()
    waits = [w for w in args.waits.split(",") if w]
    unknown = set(waits) - {"api", "leader", "ca", "serf"}
    if unknown:
        sys.exit("unknown waits: %s" % ", ".join(sorted(unknown)))

    with tempfile.TemporaryDirectory() as tmp:
        config, http_port = server_config(os.path.join(tmp, "data"))
        config_file = os.path.join(tmp, "config.json")
        with open(config_file, "w") as f:
            f.write(json.dumps(config, separators=(",", ":")))
        proc = subprocess.Popen([args.binary, "agent", "-config-file", config_file],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        output = []
        threading.Thread(target=lambda: [output.append(l) for l in proc.stdout], daemon=True).start()
        base = "http://127.0.0.1:%d" % http_port
        try:
            if "api" in waits:
                expect("waitForAPI (the agent answers on the config's HTTP port)", wait_for_api(base),
                       "".join(output))
            if "leader" in waits:
                wait_for_leader(base)
            if "ca" in waits:
                wait_for_active_ca_root(base)
            if "serf" in waits:
                wait_for_serf_check(base)
            add_service(base)
            expect("the process is still running", proc.poll() is None, "".join(output))
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)  # the SDK's Stop
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                sys.exit("FAILED: the agent did not stop within 10 s of SIGINT")
        expect("SIGINT: exit 0", proc.returncode == 0, "".join(output))
        expect("nothing written to the data_dir (everything is in memory)", not os.path.exists(config["data_dir"]))
    print("go test server: the waits %s passed" % ",".join(waits))


if __name__ == "__main__":
    main()
