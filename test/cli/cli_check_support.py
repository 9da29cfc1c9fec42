"""What the CLI checks (test/cli/*_check.py) share: the timeout of any one command, expect(), a
`coconsul agent -dev` on free ports started and stopped, and an environment that points the CLI
at an agent and carries no token of the caller's. Standard library only.
"""
import json
import os
import subprocess
import sys
import threading
import time

TIMEOUT = 20  # seconds, for any one command, awaited line or the agent's start


def expect(what, condition, detail=""):
    if not condition:
        sys.exit("FAILED: " + what + ("\n" + str(detail) if detail else ""))
    print("ok:", what)


def start_agent(binary, node, config=None, tmp=None):
    """Starts `coconsul agent -dev` as node `node`, with `config` (a dict) as a JSON config file
    written into `tmp` when given. Returns (process, "http://host:port") once the agent has said
    its address; exits the check when it does not within TIMEOUT."""
    args = [binary, "agent", "-dev", "-http-port", "0", "-dns-port", "0", "-node", node, "-log-level", "warn"]
    if config is not None:
        path = os.path.join(tmp, node + ".json")
        with open(path, "w") as f:
            json.dump(config, f)
        args += ["-config-file", path]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + TIMEOUT
    seen = []
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        if "HTTP address:" in line:
            threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep draining its output
            address = line.split("HTTP address:")[1].strip()
            return proc, address if "://" in address else "http://" + address
    proc.kill()
    sys.exit("FAILED: the agent did not say its HTTP address\n" + "".join(seen))


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()


def clean_env(address, token=None):
    """The environment with CONSUL_HTTP_ADDR=address and no token but `token`."""
    env = dict(os.environ, CONSUL_HTTP_ADDR=address)
    for name in ("CONSUL_HTTP_TOKEN", "CONSUL_HTTP_TOKEN_FILE"):
        env.pop(name, None)
    if token:
        env["CONSUL_HTTP_TOKEN"] = token
    return env
