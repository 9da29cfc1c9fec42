"""`coconsul connect ca get-config|set-config` as a user runs them, against `coconsul agent -dev`
processes: Consul's output (MarshalIndent with tabs, the Config's keys sorted), its messages for
a missing flag, an unreadable or unparsable file and a refused configuration, a rotation seen in
the roots, an agent without Connect, and ACLs (operator:write). Standard library only; every wait
has a timeout.

Usage: python3 connect_cli_check.py PATH/TO/coconsul
"""
import json
import os
import subprocess
import sys
import tempfile
import urllib.request

from cli_check_support import TIMEOUT, clean_env, expect, start_agent, stop

MANAGEMENT = "5b0f3c2a-8e1d-4f6a-9c7b-2d4e6f8a0b1c"


def runner(binary, address, token=None):
    env = clean_env(address, token)

    def run(*args):
        return subprocess.run([binary, *args], capture_output=True, text=True, timeout=TIMEOUT, env=env)
    return run


def write(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def check_verbs(binary, tmp):
    proc, address = start_agent(binary, "ca-node")
    run = runner(binary, address)
    try:
        r = run("connect", "ca", "get-config")
        expect("get-config exits 0", r.returncode == 0, repr(r))
        expect("get-config prints api.CAConfig with tabs, fields in Consul's order, Config sorted",
               r.stdout.startswith('{\n\t"Provider": "consul",\n\t"Config": {\n\t\t"IntermediateCertTTL": "8760h",\n'
                                   '\t\t"LeafCertTTL": "72h",\n'), r.stdout)
        shown = json.loads(r.stdout)
        expect("get-config's fields", list(shown) == ["Provider", "Config", "State", "ForceWithoutCrossSigning",
                                                       "CreateIndex", "ModifyIndex"], r.stdout)
        expect("get-config's Config is the dev agent's", shown["Config"].get("RootCertTTL") == "87600h" and
               list(shown["Config"]) == sorted(shown["Config"]) and shown["State"] is None, r.stdout)
        expect("get-config's output ends with one newline", r.stdout.endswith("}\n"), repr(r.stdout[-5:]))

        r = run("connect", "ca", "set-config")
        expect("set-config without -config-file: Consul's message, exit 1",
               r.returncode == 1 and r.stderr == "The -config-file flag is required\n", repr(r))
        missing = os.path.join(tmp, "missing.json")
        r = run("connect", "ca", "set-config", "-config-file", missing)
        expect("set-config of a missing file says Go's open error",
               r.returncode == 1 and r.stderr == "Error reading config file: open %s: no such file or directory\n"
               % missing, repr(r))
        r = run("connect", "ca", "set-config", "-config-file", write(tmp, "short.json", '{"Provider": "consul"'))
        expect("set-config of a truncated file says Go's Unmarshal error",
               r.returncode == 1 and r.stderr == "Error parsing config file: unexpected end of JSON input\n", repr(r))
        r = run("connect", "ca", "set-config", "-config-file", write(tmp, "typed.json", '{"Provider": 7}'))
        expect("set-config names a field of the wrong type as Go does",
               r.returncode == 1 and r.stderr == "Error parsing config file: json: cannot unmarshal number into Go "
               "struct field CAConfig.Provider of type string\n", repr(r))
        r = run("connect", "ca", "set-config", "-config-file",
                write(tmp, "short_ttl.json", '{"Provider": "consul", "Config": {"LeafCertTTL": "1m"}}'))
        expect("a refused configuration: Consul's status and text",
               r.returncode == 1 and r.stderr.startswith("Error setting CA configuration: Unexpected response code: 500 (")
               and "leaf cert TTL must be greater or equal than 1h0m0s" in r.stderr, repr(r))

        with urllib.request.urlopen(address + "/v1/connect/ca/roots", timeout=TIMEOUT) as resp:
            before = json.load(resp)
        rsa = write(tmp, "rsa.json", json.dumps({"provider": "consul", "config": {
            "LeafCertTTL": "24h", "PrivateKeyType": "rsa", "PrivateKeyBits": 2048}}))
        r = run("connect", "ca", "set-config", "-config-file", rsa, "-force-without-cross-signing")
        expect("set-config of a new key type", r.returncode == 0 and r.stdout == "Configuration updated!\n", repr(r))
        with urllib.request.urlopen(address + "/v1/connect/ca/roots", timeout=TIMEOUT) as resp:
            after = json.load(resp)
        expect("it rotated the root", len(after["Roots"]) == 2 and after["ActiveRootID"] != before["ActiveRootID"],
               json.dumps(after)[:400])
        r = run("connect", "ca", "get-config")
        shown = json.loads(r.stdout)
        expect("get-config shows the file's values as written (keys matched case-insensitively)",
               r.returncode == 0 and shown["Config"] == {"LeafCertTTL": "24h", "PrivateKeyType": "rsa",
                                                         "PrivateKeyBits": 2048}, r.stdout)
        expect("the numbers print as Go prints them", '\t\t"PrivateKeyBits": 2048,\n' in r.stdout, r.stdout)

        r = run("connect", "ca", "nonsense")
        expect("an unknown subcommand is a usage error", r.returncode == 2, repr(r))
        r = run("connect", "ca", "get-config", "-h")
        expect("get-config -h shows its usage", r.returncode == 0 and
               "Usage: coconsul connect ca get-config" in r.stdout, repr(r))
    finally:
        stop(proc)


def check_connect_disabled(binary, tmp):
    proc, address = start_agent(binary, "no-connect", {"connect": {"enabled": False}}, tmp)
    try:
        r = runner(binary, address)("connect", "ca", "get-config")
        expect("get-config with Connect off: Consul's words",
               r.returncode == 1 and r.stderr == "Error querying CA configuration: Unexpected response code: 500 "
               "(Connect must be enabled in order to use this endpoint)\n", repr(r))
    finally:
        stop(proc)


def check_acls(binary, tmp):
    proc, address = start_agent(binary, "acl-node", {"acl": {
        "enabled": True, "default_policy": "deny", "tokens": {"initial_management": MANAGEMENT}}}, tmp)
    try:
        r = runner(binary, address)("connect", "ca", "get-config")
        expect("get-config without a token is denied operator:write",
               r.returncode == 1 and r.stderr.startswith("Error querying CA configuration: Unexpected response code: 403 "
                                                         "(Permission denied") and "operator:write" in r.stderr, repr(r))
        r = runner(binary, address, MANAGEMENT)("connect", "ca", "get-config")
        expect("get-config with the management token", r.returncode == 0 and '"Provider": "consul"' in r.stdout,
               repr(r))
    finally:
        stop(proc)


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        check_verbs(binary, tmp)
        check_connect_disabled(binary, tmp)
        check_acls(binary, tmp)
    print("connect_cli_check: all checks passed")


if __name__ == "__main__":
    main()
