// Drives the dev agent with npm's `consul` client (2.x): if a client written for real Consul
// works unchanged, the wire format is right.
//
// Usage: node consul_npm_check.js PATH/TO/coconsul
"use strict";

const { spawn } = require("child_process");
const { EventEmitter } = require("events");
const http = require("http");
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

function expect(what, condition) {
  if (!condition) fail(what);
  console.log("ok: " + what);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function eventually(what, fn, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v) return v;
    await sleep(50);
  }
  fail("timed out waiting for: " + what);
}

// npm's consul (through papi) resolves a JSON `false` body as undefined, against real Consul
// too; a refused write is therefore "not true".
const refused = (v) => v !== true;

function startAgent(binary) {
  const proc = spawn(binary, ["agent", "-dev", "-http-port", "0", "-dns-port", "0", "-node", "thirdparty", "-log-level", "warn",
                              "-check-min-interval", "100ms"]);
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

// A call whose response headers we need (X-Consul-Index).
function withResponse() {
  const ctx = new EventEmitter();
  ctx.includeResponse = true;
  return ctx;
}

async function main() {
  const agent = await startAgent(process.argv[2]);
  const health = http.createServer((req, res) => res.end("healthy"));
  await new Promise((r) => health.listen(0, "127.0.0.1", r));
  const healthUrl = `http://127.0.0.1:${health.address().port}/health`;
  try {
    const consul = new Consul({ host: agent.host, port: agent.port });

    // A fresh agent as a fresh `consul agent -dev` is: index 2 or more, a leader, the node, the
    // consul service and serfHealth, nothing agent-local.
    const [fresh, freshNodes] = await consul.catalog.node.list({ ctx: withResponse() });
    expect("fresh catalog index above 1", Number(fresh.headers["x-consul-index"]) >= 2 &&
           fresh.headers["x-consul-knownleader"] === "true");
    expect("fresh node", freshNodes.length === 1 && freshNodes[0].Meta["consul-network-segment"] === "" &&
           Object.keys(freshNodes[0].TaggedAddresses).sort().join() === "lan,lan_ipv4,wan,wan_ipv4");
    expect("fresh services", JSON.stringify(await consul.catalog.service.list()) === '{"consul":[]}');
    const serf = await consul.health.node("thirdparty");
    expect("fresh serfHealth", serf.length === 1 && serf[0].CheckID === "serfHealth" && serf[0].Status === "passing");
    expect("fresh agent services", Object.keys(await consul.agent.service.list()).length === 0);
    expect("fresh agent checks", Object.keys(await consul.agent.check.list()).length === 0);
    const self = await consul.agent.self();
    expect("agent self", self.Config.Version === "1.14.0" && self.DebugConfig.DevMode === true &&
           self.Config.NodeID === freshNodes[0].ID);

    // A service with an HTTP check, passing once the agent has run it.
    await consul.agent.service.register({
      name: "web", id: "web-1", address: "127.0.0.1", port: health.address().port, tags: ["v1"],
      check: { http: healthUrl, interval: "100ms", timeout: "1s" },
    });
    expect("agent lists the service", "web-1" in (await consul.agent.service.list()));
    const entries = await eventually("web passing", async () => {
      const r = await consul.health.service({ service: "web", passing: true });
      return r.length ? r : null;
    });
    expect("health entry", entries[0].Service.ID === "web-1");

    // Catalog and health reads.
    const services = await consul.catalog.service.list();
    expect("catalog services", JSON.stringify(services.web) === '["v1"]' && "consul" in services);
    const nodes = await consul.catalog.node.list();
    expect("catalog nodes", nodes.length === 1 && nodes[0].Node === "thirdparty");
    const instances = await consul.catalog.service.nodes("web");
    expect("catalog service", instances[0].ServiceID === "web-1");
    const nodeChecks = await consul.health.node("thirdparty");
    expect("health node", nodeChecks.some((c) => c.CheckID === "serfHealth"));
    const checks = await consul.health.checks("web");
    expect("health checks", checks[0].Status === "passing");

    // KV with CAS and a blocking get.
    expect("kv set", (await consul.kv.set("app/config", "one")) === true);
    let item = await consul.kv.get("app/config");
    expect("kv get", item.Value === "one");
    expect("cas with a stale index fails",
           refused(await consul.kv.set({ key: "app/config", value: "two", cas: item.ModifyIndex + 1000 })));
    expect("cas with the current index",
           (await consul.kv.set({ key: "app/config", value: "two", cas: item.ModifyIndex })) === true);
    const [res] = await consul.kv.get({ key: "app/config", ctx: withResponse() });
    const index = Number(res.headers["x-consul-index"]);
    setTimeout(() => consul.kv.set("app/config", "three"), 300);
    const started = Date.now();
    const [res2, blocked] = await consul.kv.get({ key: "app/config", index, wait: "10s", ctx: withResponse() });
    const waited = Date.now() - started;
    expect("blocking get woke on the change",
           Number(res2.headers["x-consul-index"]) > index && blocked.Value === "three" && waited >= 200 && waited < 5000);
    // The same value again is a no-op: the index stays, and a watcher wakes only on the next change.
    expect("same-value set answers true", (await consul.kv.set("app/config", "three")) === true);
    const [res3] = await consul.kv.get({ key: "app/config", ctx: withResponse() });
    const index3 = Number(res3.headers["x-consul-index"]);
    expect("same-value set keeps the index", index3 === Number(res2.headers["x-consul-index"]));
    setTimeout(async () => {
      await consul.kv.set("app/config", "three");
      await consul.kv.set("app/config", "four");
    }, 300);
    const [res4, woke] = await consul.kv.get({ key: "app/config", index: index3, wait: "10s", ctx: withResponse() });
    expect("blocking get slept through the no-op",
           woke.Value === "four" && Number(res4.headers["x-consul-index"]) > index3);
    expect("kv keys", JSON.stringify(await consul.kv.keys("app/")) === '["app/config"]');
    await consul.kv.del({ key: "app/", recurse: true });
    expect("kv gone", (await consul.kv.get("app/config")) === undefined);

    // A session with acquire and release.
    const { ID: sid } = await consul.session.create({ name: "holder", ttl: "30s", lockdelay: "0s" });
    const { ID: other } = await consul.session.create({ lockdelay: "0s" });
    expect("session info", (await consul.session.info(sid)).Name === "holder");
    expect("acquire", (await consul.kv.set({ key: "locks/leader", value: "me", acquire: sid })) === true);
    item = await consul.kv.get("locks/leader");
    expect("lock held", item.Session === sid && item.LockIndex === 1);
    expect("second acquire fails", refused(await consul.kv.set({ key: "locks/leader", value: "you", acquire: other })));
    expect("release", (await consul.kv.set({ key: "locks/leader", value: "me", release: sid })) === true);
    expect("second acquire now works", (await consul.kv.set({ key: "locks/leader", value: "you", acquire: other })) === true);
    const renewed = await consul.session.renew(sid);
    expect("renew", renewed[0].ID === sid);
    expect("session list", (await consul.session.list()).length === 2);
    await consul.session.destroy(sid);
    await consul.session.destroy(other);
    expect("sessions gone", (await consul.session.list()).length === 0);

    // A TTL check.
    await consul.agent.check.register({ name: "beat", ttl: "10s" });
    expect("ttl check starts critical", (await consul.agent.check.list()).beat.Status === "critical");
    await consul.agent.check.pass({ id: "beat", note: "alive" });
    let beat = (await consul.agent.check.list()).beat;
    expect("ttl pass", beat.Status === "passing" && beat.Output === "alive");
    await consul.agent.check.fail("beat");
    expect("ttl fail", (await consul.agent.check.list()).beat.Status === "critical");
    await consul.agent.check.deregister("beat");
    expect("check deregistered", !("beat" in (await consul.agent.check.list())));

    await consul.agent.service.deregister("web-1");
    expect("service deregistered", !("web-1" in (await consul.agent.service.list())));
    expect("status leader", (await consul.status.leader()) === `${agent.host}:8300`);
    console.log("npm consul: all checks passed");
  } finally {
    health.close();
    agent.proc.kill("SIGTERM");
  }
  const code = await new Promise((r) => agent.proc.on("exit", (c) => r(c)));
  if (code !== 0) fail("the dev agent exited with " + code + " after SIGTERM");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
