"""The `coconsul config read|write|list|delete` verbs as a user runs them: Consul's flags,
messages and output, first against a recording stand-in agent (the exact requests, and Consul's
error texts read back), then against a real `coconsul agent -dev` (write, read, list, cas,
delete). Standard library only; every wait has a timeout.

Usage: python3 config_cli_check.py PATH/TO/coconsul [--no-agent]
"""
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading

from cli_check_support import TIMEOUT, clean_env, expect, start_agent, stop



WEB = {"Kind": "service-defaults", "Name": "web", "Protocol": "http", "MeshGateway": {}, "Expose": {},
       "Meta": {"note": "<a&b>"}, "CreateIndex": 12, "ModifyIndex": 14}


class RecordingAgent:
    """A Consul-shaped stand-in: web's service-defaults exists (ModifyIndex 14), nothing else."""

    def __init__(self):
        self.requests = []
        agent = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status, body, content_type="application/json"):
                out = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("X-Consul-Index", "14")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                agent.requests.append((self.command, self.path, body))
                path, _, query = self.path.partition("?")
                if self.command == "PUT":
                    return self.reply(200, "false" if "cas=" in query and "cas=14" not in query else "true")
                if self.command == "DELETE":
                    if "cas=" in query:
                        return self.reply(200, "true" if "cas=14" in query else "false")
                    return self.reply(200, "{}")
                if path == "/v1/config/service-defaults/web":
                    return self.reply(200, json.dumps(WEB))
                if path == "/v1/config/service-defaults":
                    return self.reply(200, json.dumps([WEB, dict(WEB, Name="api")]))
                if path.startswith("/v1/config/bogus"):
                    return self.reply(500, "invalid config entry kind: bogus", "text/plain")
                return self.reply(404, 'Config entry not found for "service-defaults" / "db"', "text/plain")

            do_GET = do_PUT = do_DELETE = answer

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
    return subprocess.run([binary, *args], input=stdin, capture_output=True, timeout=TIMEOUT, env=env, text=True)


def check_against_stand_in(binary, tmp):
    agent = RecordingAgent()
    try:
        env = clean_env(agent.address)
        r = run(binary, ["config", "read", "-kind", "service-defaults", "-name", "web"], env)
        expected = ('{\n    "Kind": "service-defaults",\n    "Name": "web",\n    "Protocol": "http",\n'
                    '    "Meta": {\n        "note": "\\u003ca\\u0026b\\u003e"\n    },\n'
                    '    "CreateIndex": 12,\n    "ModifyIndex": 14\n}\n')
        expect("config read prints the entry indented by four spaces, escaped as Go escapes",
               r.returncode == 0 and r.stdout == expected, r.stdout + r.stderr)
        r = run(binary, ["config", "read", "-kind", "service-defaults", "-name", "db"], env)
        expect("config read of a missing entry says Consul's words and exits 1",
               r.returncode == 1 and r.stderr == 'Error reading config entry "service-defaults" / "db": '
               'Unexpected response code: 404 (Config entry not found for "service-defaults" / "db")\n', r.stderr)
        r = run(binary, ["config", "read", "-name", "web"], env)
        expect("config read without -kind is a usage error", r.returncode == 2 and
               "Must specify the -kind parameter" in r.stderr, r.stderr)
        r = run(binary, ["config", "delete", "-kind", "service-defaults"], env)
        expect("config delete without -name is a usage error", r.returncode == 2 and
               "Must specify the -name parameter" in r.stderr, r.stderr)

        r = run(binary, ["config", "list", "-kind", "service-defaults", "-filter", "Protocol == http"], env)
        expect("config list prints the names, one a line", r.returncode == 0 and r.stdout == "web\napi\n",
               r.stdout + r.stderr)
        r = run(binary, ["config", "list", "-kind", "bogus"], env)
        expect("config list of a refused kind quotes the kind and Consul's text",
               r.returncode == 1 and r.stderr == 'Error listing config entries for kind "bogus": '
               'Unexpected response code: 500 (invalid config entry kind: bogus)\n', r.stderr)

        path = os.path.join(tmp, "web.json")
        with open(path, "w") as f:
            json.dump({"kind": "service-defaults", "name": "web", "protocol": "grpc",
                       "mesh_gateway": {"mode": "local"}}, f)
        r = run(binary, ["config", "write", path], env)
        expect("config write from a file (lowercase and snake_case keys) says what it wrote",
               r.returncode == 0 and r.stdout == "Config entry written: service-defaults/web\n", r.stdout + r.stderr)
        r = run(binary, ["config", "write", "-cas", "-modify-index", "13", "-"], env,
                stdin='{"Kind": "service-defaults", "Name": "web", "Protocol": "http"}')
        expect("config write -cas with a stale index is not updated (exit 1)",
               r.returncode == 1 and r.stderr == "Config entry not updated: service-defaults/web\n", r.stderr)
        r = run(binary, ["config", "write", "-cas", "-modify-index", "14", "-"], env,
                stdin='{"Kind": "service-defaults", "Name": "web", "Protocol": "http"}')
        expect("config write -cas with the current index is written", r.returncode == 0, r.stderr)
        r = run(binary, ["config", "write", "-"], env,
                stdin='{"Kind": "service-defaults", "Name": "web", "Protcol": "http", "Expose": {"Chekcs": true}}')
        expect("config write refuses unknown keys as Consul's decoder does",
               r.returncode == 1 and r.stderr == 'Failed to decode config entry input: 2 errors occurred:\n'
               '\t* invalid config key "Protcol"\n\t* invalid config key "Expose.Chekcs"\n\n\n', repr(r.stderr))
        hcl = os.path.join(tmp, "router.hcl")
        with open(hcl, "w") as f:
            f.write('# the admin routes\n'
                    'Kind = "service-router"\n'
                    'Name = "web"\n'
                    'Routes = [\n'
                    '  {\n'
                    '    Match { HTTP { PathPrefix = "/admin", Methods = ["GET", "POST",] } }\n'
                    '    Destination {\n'
                    '      Service = "admin"  // the admin app\n'
                    '      RequestTimeout = "15s"\n'
                    '      NumRetries = 3\n'
                    '      RetryOnConnectFailure = true\n'
                    '    }\n'
                    '  },\n'
                    ']\n'
                    'Meta = {\n  note = <<EOF\nline \\"one\\"\nEOF\n}\n')
        r = run(binary, ["config", "write", hcl], env)
        expect("config write reads HCL: attributes, blocks, lists, comments, heredocs",
               r.returncode == 0 and r.stdout == "Config entry written: service-router/web\n", r.stdout + r.stderr)
        r = run(binary, ["config", "write", "-"], env, stdin='Kind = "service-defaults"\nName = \n')
        expect("config write of broken HCL says where", r.returncode == 1 and r.stderr ==
               "Failed to decode config entry input: invalid HCL: line 2, column 8: expected a value\n", r.stderr)
        r = run(binary, ["config", "write", "-"], env, stdin='{"Name": "web"}')
        expect("config write without a Kind says Consul's text", r.returncode == 1 and r.stderr ==
               "Failed to decode config entry input: Payload does not contain a kind/Kind key at the top level\n",
               r.stderr)
        r = run(binary, ["config", "write", "-"], env, stdin='{"Kind": "api-gateway", "Name": "gw"}')
        expect("config write of a kind Consul 1.14 lacks is refused", r.returncode == 1 and r.stderr ==
               "Failed to decode config entry input: invalid config entry kind: api-gateway\n", r.stderr)
        r = run(binary, ["config", "write"], env)
        expect("config write without an argument is a usage error", r.returncode == 2 and
               "Must provide exactly one positional argument" in r.stderr, r.stderr)
        r = run(binary, ["config", "write", os.path.join(tmp, "missing.json")], env)
        expect("config write of a missing file fails to load data",
               r.returncode == 1 and r.stderr.startswith("Failed to load data: "), r.stderr)

        r = run(binary, ["config", "delete", "-kind", "service-defaults", "-name", "web", "-cas", "-modify-index", "13"], env)
        expect("config delete -cas with a stale index is not deleted",
               r.returncode == 1 and r.stderr == "Config entry not deleted: service-defaults/web\n", r.stderr)
        r = run(binary, ["config", "delete", "-kind", "service-defaults", "-name", "web"], env)
        expect("config delete says what it deleted",
               r.returncode == 0 and r.stdout == "Config entry deleted: service-defaults/web\n", r.stdout + r.stderr)

        sent = [(m, p) for m, p, _ in agent.requests]
        expect("the verbs send Consul's requests", sent == [
            ("GET", "/v1/config/service-defaults/web"),
            ("GET", "/v1/config/service-defaults/db"),
            ("GET", "/v1/config/service-defaults?filter=Protocol%20%3D%3D%20http"),
            ("GET", "/v1/config/bogus"),
            ("PUT", "/v1/config"),
            ("PUT", "/v1/config?cas=13"),
            ("PUT", "/v1/config?cas=14"),
            ("PUT", "/v1/config"),
            ("DELETE", "/v1/config/service-defaults/web?cas=13"),
            ("DELETE", "/v1/config/service-defaults/web"),
        ], repr(sent))
        expect("config write sends the entry with Kind first and CamelCase keys",
               json.loads(agent.requests[4][2]) == {"Kind": "service-defaults", "Name": "web", "Protocol": "grpc",
                                                   "MeshGateway": {"Mode": "local"}}
               and agent.requests[4][2].startswith('{"Kind":'), agent.requests[4][2])
        expect("config write sends the HCL's entry as Consul's JSON", json.loads(agent.requests[7][2]) == {
            "Kind": "service-router", "Name": "web",
            "Routes": [{"Match": {"HTTP": {"PathPrefix": "/admin", "Methods": ["GET", "POST"]}},
                        "Destination": {"Service": "admin", "RequestTimeout": "15s", "NumRetries": 3,
                                        "RetryOnConnectFailure": True}}],
            "Meta": {"note": 'line \\"one\\"\n'}}, agent.requests[7][2])
    finally:
        agent.close()


def check_against_agent(binary, tmp):
    proc, address = start_agent(binary, "config-node")
    try:
        env = clean_env(address)
        hcl = os.path.join(tmp, "web.hcl")
        with open(hcl, "w") as f:
            f.write('Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n'
                    'MeshGateway {\n  Mode = "local"\n}\n')
        r = run(binary, ["config", "write", hcl], env)
        expect("agent: config write of an HCL file", r.returncode == 0 and
               r.stdout == "Config entry written: service-defaults/web\n", r.stdout + r.stderr)
        r = run(binary, ["config", "read", "-kind", "service-defaults", "-name", "web"], env)
        expect("agent: config read prints it back", r.returncode == 0, r.stderr)
        entry = json.loads(r.stdout)
        expect("agent: the entry read is the one written, with its indexes",
               entry["Kind"] == "service-defaults" and entry["Name"] == "web" and entry["Protocol"] == "http"
               and entry["MeshGateway"] == {"Mode": "local"} and entry["ModifyIndex"] > 0
               and r.stdout.startswith('{\n    "Kind": "service-defaults",\n    "Name": "web",\n'), r.stdout)
        index = entry["ModifyIndex"]
        r = run(binary, ["config", "write", "-cas", "-modify-index", str(index - 1), "-"], env,
                stdin='{"Kind": "service-defaults", "Name": "web", "Protocol": "grpc"}')
        expect("agent: a stale -cas write is not updated", r.returncode == 1 and
               r.stderr == "Config entry not updated: service-defaults/web\n", r.stderr)
        r = run(binary, ["config", "write", "-cas", "-modify-index", str(index), "-"], env,
                stdin='{"Kind": "service-defaults", "Name": "web", "Protocol": "grpc"}')
        expect("agent: a current -cas write is written", r.returncode == 0, r.stderr)
        r = run(binary, ["config", "write", "-"], env, stdin='{"Kind": "proxy-defaults", "Name": "other"}')
        expect("agent: Consul's validation text comes back", r.returncode == 1 and r.stderr ==
               'Error writing config entry proxy-defaults/other: Unexpected response code: 500 '
               '(invalid name ("other"), only "global" is supported)\n', r.stderr)
        run(binary, ["config", "write", "-"], env, stdin='{"Kind": "service-defaults", "Name": "api"}')
        r = run(binary, ["config", "list", "-kind", "service-defaults"], env)
        expect("agent: config list names them by name", r.returncode == 0 and r.stdout == "api\nweb\n", r.stdout)
        r = run(binary, ["config", "delete", "-kind", "service-defaults", "-name", "web", "-cas",
                         "-modify-index", str(index)], env)
        expect("agent: a stale -cas delete is not deleted", r.returncode == 1 and
               r.stderr == "Config entry not deleted: service-defaults/web\n", r.stderr)
        r = run(binary, ["config", "delete", "-kind", "service-defaults", "-name", "web"], env)
        expect("agent: config delete", r.returncode == 0 and
               r.stdout == "Config entry deleted: service-defaults/web\n", r.stderr)
        r = run(binary, ["config", "read", "-kind", "service-defaults", "-name", "web"], env)
        expect("agent: a deleted entry is not found", r.returncode == 1 and r.stderr ==
               'Error reading config entry "service-defaults" / "web": Unexpected response code: 404 '
               '(Config entry not found for "service-defaults" / "web")\n', r.stderr)
    finally:
        stop(proc)


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        check_against_stand_in(binary, tmp)
        if "--no-agent" not in sys.argv:
            check_against_agent(binary, tmp)


if __name__ == "__main__":
    main()
