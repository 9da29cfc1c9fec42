"""A scripted stand-in for a Consul agent, for the CLI checks that need answers a real agent
never gives (undecodable headers or bodies, error streaks). Standard library only.

ScriptedAgent(answer) serves on 127.0.0.1 (ephemeral port) from a thread; answer(n, path) is
called for the n-th health query (n from 1) and returns (status, headers, body bytes). The
leader query always succeeds, so the CLI gets past its reachability check.
"""
import http.server
import threading
import urllib.parse


class ScriptedAgent:
    def __init__(self, answer):
        self.health_queries = 0
        self._lock = threading.Lock()
        agent = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                path = urllib.parse.urlsplit(self.path).path
                if path == "/v1/status/leader":
                    status, headers, body = 200, {"X-Consul-Index": "1"}, b'"127.0.0.1:8300"'
                else:
                    with agent._lock:
                        agent.health_queries += 1
                        n = agent.health_queries
                    status, headers, body = answer(n, self.path)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # the CLI closing a blocking query early (exit, retry) is not an error here

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def address(self):
        return "127.0.0.1:%d" % self.server.server_address[1]

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
