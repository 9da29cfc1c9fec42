"""The `coconsul intention` verbs as a user runs them against a real `coconsul agent -dev`:
create (allow, -deny, -meta, -replace, -file), get by names and by ID, check's exit codes,
match in precedence order, list's columns and its empty case, delete by names and by ID.
Standard library only; every wait has a timeout.

Usage: python3 intention_cli_check.py PATH/TO/coconsul
"""
import json
import os
import re
import subprocess
import sys
import tempfile

from cli_check_support import TIMEOUT, clean_env, expect, start_agent, stop



def main():
    binary = sys.argv[1]
    proc, address = start_agent(binary, "ixn-node")
    env = dict(clean_env(address), TZ="UTC")

    def run(*args, stdin=None):
        return subprocess.run([binary, "intention", *args], input=stdin, capture_output=True, timeout=TIMEOUT, env=env)

    try:
        r = run("list")
        expect("list with no intentions says so and exits 2",
               r.returncode == 2 and r.stderr == b"There are no intentions.\n", repr(r))
        r = run("create", "web", "db", "-meta", "team=payments")
        expect("create prints Consul's line", r.returncode == 0 and r.stdout == b"Created: web => db (allow)\n", repr(r))
        r = run("create", "-deny", "*", "db")
        expect("create -deny", r.returncode == 0 and r.stdout == b"Created: * => db (deny)\n", repr(r))
        r = run("create", "-allow", "-deny", "a", "b")
        expect("-allow with -deny is a usage error",
               r.returncode == 2 and b"Only one of -allow or -deny may be specified." in r.stderr, repr(r))
        r = run("create", "web", "db")
        expect("a second create for the same pair fails with Consul's text",
               r.returncode == 1 and b'Sources[1] defines "web" more than once' in r.stderr, repr(r))
        r = run("create", "-replace", "-deny", "web", "db")
        expect("create -replace updates it", r.returncode == 0, repr(r))

        r = run("get", "web", "db")
        out = r.stdout.decode()
        expect("get shows the fields in Consul's columns",
               r.returncode == 0 and out.startswith("Source:       web\nDestination:  db\nAction:       deny\nID:  ")
               and "Created At:   " in out and re.search(r"Created At:   \w+day, \d\d-\w{3}-\d\d \d\d:\d\d:\d\d UTC\n$", out),
               repr(r))
        ixn_id = re.search(r"ID:\s+(\S+)", out).group(1)
        r = run("get", ixn_id)
        expect("get by ID", r.returncode == 0 and b"Source:       web" in r.stdout, repr(r))
        r = run("get", "nobody", "db")
        expect("get of a missing intention fails",
               r.returncode == 1 and b'Intention not found with source "nobody" and destination "db"' in r.stderr, repr(r))

        r = run("check", "api", "db")
        expect("check of a denied connection prints Denied, exit 1", r.returncode == 1 and r.stdout == b"Denied\n", repr(r))
        r = run("check", "api", "cache")
        expect("check with no intention (ACLs off) prints Allowed, exit 0",
               r.returncode == 0 and r.stdout == b"Allowed\n", repr(r))

        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "ixn.json")
            with open(path, "w") as f:
                json.dump({"SourceName": "web", "DestinationName": "*", "Action": "allow"}, f)
            r = run("create", "-file", path)
            expect("create -file", r.returncode == 0 and r.stdout == b"Created: web => * (allow)\n", repr(r))
        r = run("match", "db")
        expect("match lists in precedence order",
               r.returncode == 0 and r.stdout == b"web => db (deny)\n* => db (deny)\nweb => * (allow)\n", repr(r))
        r = run("match", "-source", "web")
        expect("match -source", r.returncode == 0 and r.stdout == b"web => db (deny)\n* => db (deny)\nweb => * (allow)\n",
               repr(r))

        r = run("list")
        lines = r.stdout.decode().splitlines()
        expect("list has Consul's header and one row each",
               r.returncode == 0 and re.match(r"ID\s+Source\s+Action\s+Destination\s+Precedence$", lines[0])
               and len(lines) == 4 and lines[1].split()[1:] == ["web", "deny", "db", "9"], repr(r))

        # By ID first: a delete by names rewrites the entry the config-entry way, which (as in
        # Consul) drops the legacy IDs of the sources left in it.
        star_id = re.search(r"^(\S+)\s+\*\s+deny", "\n".join(lines), re.M).group(1)
        r = run("delete", star_id)
        expect("delete by ID", r.returncode == 0 and r.stdout == b"Intention deleted.\n", repr(r))
        r = run("delete", "web", "db")
        expect("delete by names", r.returncode == 0 and r.stdout == b"Intention deleted.\n", repr(r))
        r = run("match", "db")
        expect("what is left matches", r.returncode == 0 and r.stdout == b"web => * (allow)\n", repr(r))
    finally:
        stop(proc)


if __name__ == "__main__":
    main()
