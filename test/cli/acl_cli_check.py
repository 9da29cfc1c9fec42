"""The `coconsul acl` verbs and the token flags as a user runs them: which token each request
carries (-token, -token-file, CONSUL_HTTP_TOKEN, CONSUL_HTTP_TOKEN_FILE) against a recording
stand-in agent, then the verbs against a real `coconsul agent -dev` with ACLs on (a JSON config
file with acl.enabled and an initial management token). Standard library only; every wait has
a timeout.

Usage: python3 acl_cli_check.py PATH/TO/coconsul
"""
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading

from cli_check_support import TIMEOUT, clean_env, expect, start_agent, stop

MANAGEMENT = "3f0c8f44-5b0e-4c47-9d47-1d2c8a3b9e01"


class RecordingAgent:
    """Answers every request with a token-shaped object and records (method, path, token, body)."""

    def __init__(self):
        self.requests = []
        agent = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                agent.requests.append((self.command, self.path, self.headers.get("X-Consul-Token"), body))
                out = json.dumps({"AccessorID": "acc", "SecretID": "sec", "Description": "d",
                                  "CreateTime": "2026-12-02T08:00:00Z"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            do_GET = do_PUT = do_POST = do_DELETE = answer

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def address(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def run(binary, args, env, stdin=None):
    return subprocess.run([binary, *args], input=stdin, capture_output=True, timeout=TIMEOUT, env=env)


def check_token_flags(binary, tmp):
    agent = RecordingAgent()
    try:
        env_file = os.path.join(tmp, "env-token")
        flag_file = os.path.join(tmp, "flag-token")
        with open(env_file, "w") as f:
            f.write("from-env-file\n")
        with open(flag_file, "w") as f:
            f.write("  from-flag-file\n")
        cases = [
            ("CONSUL_HTTP_TOKEN", {"CONSUL_HTTP_TOKEN": "from-env"}, [], "from-env"),
            ("CONSUL_HTTP_TOKEN_FILE over CONSUL_HTTP_TOKEN",
             {"CONSUL_HTTP_TOKEN": "from-env", "CONSUL_HTTP_TOKEN_FILE": env_file}, [], "from-env-file"),
            ("-token over CONSUL_HTTP_TOKEN_FILE", {"CONSUL_HTTP_TOKEN_FILE": env_file}, ["-token", "from-flag"],
             "from-flag"),
            ("-token-file over -token", {}, ["-token", "from-flag", "-token-file", flag_file], "from-flag-file"),
        ]
        for what, extra, flags, token in cases:
            env = clean_env(agent.address)
            env.update(extra)
            agent.requests.clear()
            r = run(binary, ["acl", "token", "read", "-self", *flags], env)
            expect("acl token read -self runs (%s)" % what, r.returncode == 0,
                   "exit %d\nstdout: %r\nstderr: %r" % (r.returncode, r.stdout, r.stderr))
            sent = [t for (_, path, t, _) in agent.requests if path.startswith("/v1/acl/token/self")]
            expect("the request carries %s (%s)" % (token, what), sent == [token], repr(agent.requests))
        r = run(binary, ["acl", "token", "read", "-self", "-token-file", os.path.join(tmp, "missing")],
                clean_env(agent.address))
        expect("an unreadable -token-file fails with its name", r.returncode == 1 and b"missing" in r.stderr,
               "exit %d\nstderr: %r" % (r.returncode, r.stderr))

        # The verbs' requests, as consul acl sends them.
        env = clean_env(agent.address)
        agent.requests.clear()
        r = run(binary, ["acl", "token", "create", "-description", "web", "-policy-name", "web-write",
                         "-service-identity", "web:dc1,dc2", "-node-identity", "n1:dc1", "-expires-ttl", "1h",
                         "-format", "json"], env)
        expect("acl token create runs", r.returncode == 0, repr(r))
        method, path, _, body = agent.requests[-1]
        expect("acl token create sends PUT /v1/acl/token", (method, path) == ("PUT", "/v1/acl/token"), path)
        sent = json.loads(body)
        expect("acl token create sends the grants",
               sent == {"Description": "web", "Policies": [{"Name": "web-write"}],
                        "ServiceIdentities": [{"ServiceName": "web", "Datacenters": ["dc1", "dc2"]}],
                        "NodeIdentities": [{"NodeName": "n1", "Datacenter": "dc1"}], "ExpirationTTL": "1h0m0s"},
               body)
        expect("-format json prints the API's object", json.loads(r.stdout)["AccessorID"] == "acc", r.stdout)
        r = run(binary, ["acl", "token", "delete", "-id", "acc"], env)
        expect("acl token delete says so", r.returncode == 0 and b'Token "acc" deleted successfully' in r.stdout,
               repr(r))
        expect("acl token delete sends DELETE", agent.requests[-1][:2] == ("DELETE", "/v1/acl/token/acc"))
        r = run(binary, ["acl", "set-agent-token", "agent", "secret-x"], env)
        expect("acl set-agent-token says so", r.returncode == 0 and b'ACL token "agent" set successfully' in r.stdout,
               repr(r))
        method, path, _, body = agent.requests[-1]
        expect("acl set-agent-token sends PUT /v1/agent/token/agent",
               (method, path) == ("PUT", "/v1/agent/token/agent") and json.loads(body) == {"Token": "secret-x"},
               repr(agent.requests[-1]))
        r = run(binary, ["acl", "token", "create", "-node-identity", "no-datacenter"], env)
        expect("a node identity without its datacenter is a usage error", r.returncode == 2, repr(r))
    finally:
        agent.close()


def check_against_agent(binary, tmp):
    proc, address = start_agent(binary, "acl-node", {"acl": {"enabled": True, "default_policy": "deny",
                                                             "tokens": {"initial_management": MANAGEMENT}}}, tmp)
    try:
        env = clean_env(address)
        env["CONSUL_HTTP_TOKEN"] = MANAGEMENT
        r = run(binary, ["acl", "bootstrap"], env)
        expect("acl bootstrap after an initial management token is refused with the reset index",
               r.returncode == 1 and b"ACL bootstrap no longer allowed (reset index:" in r.stderr, repr(r))
        r = run(binary, ["acl", "policy", "create", "-name", "kv-app", "-description", "the app's keys", "-rules", "-"],
                env, stdin=b'key_prefix "app/" { policy = "write" }\n')
        expect("acl policy create", r.returncode == 0 and b"Name:         kv-app" in r.stdout, repr(r))
        r = run(binary, ["acl", "policy", "read", "-name", "kv-app"], env)
        expect("acl policy read -name shows the rules", r.returncode == 0 and b'key_prefix "app/"' in r.stdout, repr(r))
        r = run(binary, ["acl", "policy", "list"], env)
        expect("acl policy list has it and global-management",
               r.returncode == 0 and b"kv-app:" in r.stdout and b"global-management:" in r.stdout, repr(r))
        r = run(binary, ["acl", "role", "create", "-name", "app", "-policy-name", "kv-app"], env)
        expect("acl role create", r.returncode == 0 and b"kv-app" in r.stdout, repr(r))
        r = run(binary, ["acl", "token", "create", "-description", "app token", "-role-name", "app", "-format", "json"],
                env)
        expect("acl token create", r.returncode == 0, repr(r))
        token = json.loads(r.stdout)
        env_app = dict(env, CONSUL_HTTP_TOKEN=token["SecretID"])
        r = run(binary, ["acl", "token", "read", "-self", "-format", "json"], env_app)
        expect("acl token read -self with the new token is that token",
               r.returncode == 0 and json.loads(r.stdout)["AccessorID"] == token["AccessorID"], repr(r))
        r = run(binary, ["acl", "token", "list"], env)
        expect("acl token list shows it", r.returncode == 0 and token["AccessorID"].encode() in r.stdout, repr(r))
        r = run(binary, ["acl", "token", "update", "-id", token["AccessorID"], "-description", "renamed",
                         "-service-identity", "app"], env)
        expect("acl token update changes what its flags name",
               r.returncode == 0 and b"Description:      renamed" in r.stdout and b"app (Datacenters: all)" in r.stdout
               and b"Roles:" in r.stdout, repr(r))
        r = run(binary, ["acl", "token", "read", "-id", token["AccessorID"], "-expanded"], env)
        expect("acl token read -expanded shows the rules it resolves to",
               r.returncode == 0 and b'key_prefix "app/"' in r.stdout, repr(r))
        r = run(binary, ["acl", "policy", "update", "-name", "kv-app", "-description", "still the app's keys"], env)
        expect("acl policy update", r.returncode == 0 and b"still the app's keys" in r.stdout, repr(r))
        r = run(binary, ["acl", "token", "clone", "-id", token["AccessorID"], "-description", "copy"], env)
        expect("acl token clone", r.returncode == 0 and b"Description:      copy" in r.stdout, repr(r))
        r = run(binary, ["acl", "token", "delete", "-id", token["AccessorID"]], env)
        expect("acl token delete", r.returncode == 0, repr(r))
        r = run(binary, ["acl", "token", "read", "-id", token["AccessorID"]], env)
        expect("a deleted token reads as ACL not found", r.returncode == 1 and b"ACL not found" in r.stderr, repr(r))
        r = run(binary, ["acl", "role", "read", "-name", "app"], env)
        expect("acl role read -name", r.returncode == 0 and b"Name:         app" in r.stdout, repr(r))
        r = run(binary, ["acl", "role", "read", "-name", "nobody"], env)
        expect("acl role read of a missing role fails", r.returncode == 1 and b"no role named" in r.stderr, repr(r))
        r = run(binary, ["acl", "role", "delete", "-name", "app"], env)
        expect("acl role delete -name", r.returncode == 0 and b"deleted successfully" in r.stdout, repr(r))
        r = run(binary, ["acl", "policy", "delete", "-name", "kv-app"], env)
        expect("acl policy delete -name", r.returncode == 0 and b"deleted successfully" in r.stdout, repr(r))
    finally:
        stop(proc)


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        check_token_flags(binary, tmp)
        if "--no-agent" not in sys.argv:
            check_against_agent(binary, tmp)


if __name__ == "__main__":
    main()
