"""`coconsul agent -dev` as a process: prints its address, serves the API, refuses bad flags,
stops cleanly on SIGINT and SIGTERM. Standard library only.

Usage: python3 cli_check.py PATH/TO/coconsul
"""
import json
import signal
import subprocess
import sys
import urllib.request


def expect(what, condition):
    if not condition:
        sys.exit("FAILED: " + what)
    print("ok:", what)


def start(binary, *extra):
    proc = subprocess.Popen([binary, "agent", "-dev", "-http-port", "0", "-dns-port", "0", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if "HTTP address:" in line:
            return proc, line.split("HTTP address:")[1].strip(), lines
    proc.kill()
    sys.exit("no address printed:\n" + "".join(lines))


def main():
    binary = sys.argv[1]
    for sig in (signal.SIGINT, signal.SIGTERM):
        proc, address, _ = start(binary, "-node", "cli-node", "-datacenter", "dc9", "-log-level", "debug")
        with urllib.request.urlopen("http://%s/v1/agent/self" % address, timeout=5) as r:
            config = json.load(r)["Config"]
        expect("node and datacenter flags", config["NodeName"] == "cli-node" and config["Datacenter"] == "dc9")
        with urllib.request.urlopen("http://%s/v1/status/leader" % address, timeout=5) as r:
            expect("status leader", json.load(r) == "127.0.0.1:8300")
        proc.send_signal(sig)
        out, _ = proc.communicate(timeout=10)
        expect("exit 0 on signal %d" % sig, proc.returncode == 0)
        expect("requests logged at debug", "Request finished: method=GET url=/v1/status/leader" in out)
        expect("clean shutdown message", "Graceful shutdown complete" in out)

    bad = subprocess.run([binary, "agent", "-dev", "-http-port", "many"], capture_output=True, text=True, timeout=10)
    # Consul's texts (Go's flag package, agent/config/builder.go, hclog): issue 13.
    expect("bad port refused", bad.returncode == 1 and "error parsing flags: invalid value \"many\" for flag "
           "-http-port: strconv.Atoi: parsing \"many\": invalid syntax" in bad.stderr)
    bad = subprocess.run([binary, "agent", "-http-port", "0"], capture_output=True, text=True, timeout=10)
    expect("without -dev, a data_dir is required", bad.returncode == 1 and "data_dir cannot be empty" in bad.stderr)
    bad = subprocess.run([binary, "agent", "-dev", "-log-level", "loud"], capture_output=True, text=True, timeout=10)
    expect("bad log level refused", bad.returncode == 1 and
           "Invalid log level: loud. Valid log levels are: [TRACE DEBUG INFO WARN ERR ERROR]" in bad.stderr)
    print("cli: all checks passed")


if __name__ == "__main__":
    main()
