"""Starts `coconsul agent -dev` on a free port for a third-party client check, and stops it."""
import subprocess
import sys
import threading
import time


class DevAgent:
    def __init__(self, binary, *extra):
        self.proc = subprocess.Popen(
            [binary, "agent", "-dev", "-http-port", "0", "-dns-port", "0", "-node", "thirdparty", "-log-level", "warn", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.address = None
        deadline = time.time() + 10
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if "HTTP address:" in line:
                self.address = line.split("HTTP address:")[1].strip()
                break
        if not self.address:
            self.proc.kill()
            sys.exit("the dev agent did not print its address")
        self.host, port = self.address.rsplit(":", 1)
        self.port = int(port)
        # Keep draining its output so it never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in self.proc.stdout], daemon=True).start()

    def stop(self):
        self.proc.terminate()
        code = self.proc.wait(timeout=10)
        if code != 0:
            sys.exit("the dev agent exited with %d after SIGTERM" % code)
