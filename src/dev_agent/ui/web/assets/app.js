// The coconsul dev agent's web UI: services with their health, a service's instances with their
// checks and outputs, nodes, and a KV browser and editor. Every view is live: it holds one
// blocking query (?index=) on what it shows and redraws when the agent answers, so a check that
// turns critical shows without a reload. Plain DOM, no framework, no build step. Text from the
// agent (names, outputs, values) is only ever set as textContent, never parsed as HTML.
'use strict';

(() => {
  const view = document.getElementById('view');
  const connection = document.getElementById('connection');
  let datacenter = 'dc1';
  let running = null;  // the current view's AbortController: navigating ends its queries

  // --- DOM ---
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  const link = (href, text, attrs) => h('a', { href, 'data-link': true, ...attrs }, text);
  const status = (s) => h('span', { class: `status ${s}`, 'data-status': s }, s);
  const tags = (list) => (list || []).map((t) => h('span', { class: 'tag' }, t));
  function counts(passing, warning, critical) {
    return h('span', { class: 'counts' },
      passing ? h('span', { class: 'passing' }, `${passing} passing`) : null,
      warning ? h('span', { class: 'warning' }, `${warning} warning`) : null,
      critical ? h('span', { class: 'critical' }, `${critical} critical`) : null,
      !passing && !warning && !critical ? h('span', {}, 'no checks') : null);
  }
  function show(...nodes) { view.replaceChildren(...nodes.flat()); }
  function plural(n, word) { return `${n} ${word}${n === 1 ? '' : 's'}`; }
  function setConnection(ok, why) {
    connection.className = `connection ${ok ? 'ok' : 'lost'}`;
    connection.textContent = ok ? 'live' : 'reconnecting';
    connection.title = ok ? 'blocking queries to the agent' : why || '';
  }

  // --- the agent ---
  const seg = (s) => encodeURIComponent(s);
  const keyPath = (key) => key.split('/').map(seg).join('/');
  const sleep = (ms, signal) => new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });

  // Consul's blocking-query loop: read, draw, wait for a change (?index=N&wait=5m), draw again.
  // An index that goes backwards starts over from 0, as Consul's docs say clients must; errors
  // back off up to 5 s and say so in the header. `draw(body, status)` gets the parsed JSON (null
  // for a 404, which KV answers for a missing key or folder).
  async function live(url, signal, draw) {
    let index = 0;
    let backoff = 0;
    while (!signal.aborted) {
      const sep = url.includes('?') ? '&' : '?';
      const target = index ? `${url}${sep}index=${index}&wait=5m` : url;
      try {
        const resp = await fetch(target, { signal, cache: 'no-store' });
        if (!resp.ok && resp.status !== 404) throw new Error(`${resp.status}: ${await resp.text()}`);
        const body = resp.status === 404 ? null : await resp.json();
        const next = Number(resp.headers.get('X-Consul-Index') || 0);
        index = next < index ? 0 : next;
        setConnection(true);
        backoff = 0;
        if (!signal.aborted) draw(body, resp.status);
      } catch (e) {
        if (signal.aborted) return;
        setConnection(false, e.message);
        backoff = Math.min(backoff ? backoff * 2 : 250, 5000);
        await sleep(backoff, signal);
      }
    }
  }

  // --- views ---
  function servicesView(signal) {
    document.title = 'Services - coconsul dev agent';
    live('/v1/internal/ui/services', signal, (services) => {
      services = services || [];
      const rows = services.map((s) => h('tr', { 'data-service': s.Name },
        h('td', {}, link(`/ui/${seg(datacenter)}/services/${seg(s.Name)}/instances`, s.Name)),
        h('td', { class: 'health' }, counts(s.ChecksPassing, s.ChecksWarning, s.ChecksCritical)),
        h('td', { class: 'instances' }, plural(s.InstanceCount, 'instance')),
        h('td', {}, tags(s.Tags))));
      show(
        h('h1', {}, 'Services', h('span', { class: 'count', id: 'service-count' }, plural(services.length, 'service'))),
        rows.length
          ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Service'), h('th', {}, 'Health checks'),
            h('th', {}, 'Instances'), h('th', {}, 'Tags'))), h('tbody', {}, rows))
          : h('p', { class: 'empty' }, 'No services are registered.'));
    });
  }

  function checkList(checks) {
    return (checks || []).map((c) => h('div', { class: 'check', 'data-check-id': c.CheckID },
      status(c.Status), h('span', { class: 'name' }, c.Name), h('span', { class: 'notice' }, c.CheckID),
      c.Output ? h('pre', { class: 'output' }, c.Output) : null));
  }

  function instancesView(signal, name) {
    document.title = `${name} - coconsul dev agent`;
    live(`/v1/health/service/${seg(name)}`, signal, (entries) => {
      entries = entries || [];
      const cards = entries.map(({ Node: node, Service: svc, Checks: checks }) => {
        const address = svc.Address || (node && node.Address) || '';
        return h('div', { class: 'instance', 'data-instance': svc.ID },
          h('h3', {}, svc.ID),
          h('div', { class: 'meta' }, `node ${node ? node.Node : '?'} · ${address}${svc.Port ? `:${svc.Port}` : ''}`,
            ' ', tags(svc.Tags)),
          checkList(checks));
      });
      show(
        h('div', { class: 'crumbs' }, link(`/ui/${seg(datacenter)}/services`, 'Services'), ' / ', name),
        h('h1', {}, name, h('span', { class: 'count' }, plural(entries.length, 'instance'))),
        cards.length ? cards : h('p', { class: 'empty' }, 'This service has no instances.'));
    });
  }

  function nodesView(signal) {
    document.title = 'Nodes - coconsul dev agent';
    live('/v1/internal/ui/nodes', signal, (nodes) => {
      nodes = nodes || [];
      const rows = nodes.map((n) => {
        const by = (s) => n.Checks.filter((c) => c.Status === s).length;
        return h('tr', { 'data-node': n.Node },
          h('td', {}, link(`/ui/${seg(datacenter)}/nodes/${seg(n.Node)}`, n.Node)),
          h('td', {}, n.Address),
          h('td', {}, counts(by('passing'), by('warning'), by('critical'))),
          h('td', {}, plural(n.Services.length, 'service')));
      });
      show(h('h1', {}, 'Nodes', h('span', { class: 'count' }, plural(nodes.length, 'node'))),
        h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Node'), h('th', {}, 'Address'),
          h('th', {}, 'Health checks'), h('th', {}, 'Services'))), h('tbody', {}, rows)));
    });
  }

  function nodeView(signal, name) {
    document.title = `${name} - coconsul dev agent`;
    live(`/v1/internal/ui/node/${seg(name)}`, signal, (node, code) => {
      const crumbs = h('div', { class: 'crumbs' }, link(`/ui/${seg(datacenter)}/nodes`, 'Nodes'), ' / ', name);
      if (code === 404 || !node) { show(crumbs, h('p', { class: 'empty' }, 'No such node.')); return; }
      show(crumbs, h('h1', {}, node.Node, h('span', { class: 'count' }, node.Address)),
        h('h2', {}, 'Health checks'), checkList(node.Checks),
        h('h2', {}, 'Services'),
        h('table', {}, h('tbody', {}, node.Services.map((s) => h('tr', {},
          h('td', {}, link(`/ui/${seg(datacenter)}/services/${seg(s.Service)}/instances`, s.Service)),
          h('td', {}, s.ID), h('td', {}, s.Port ? String(s.Port) : ''), h('td', {}, tags(s.Tags)))))));
    });
  }

  function kvCrumbs(prefix) {
    const parts = prefix.split('/').filter((p) => p);
    const out = [link(`/ui/${seg(datacenter)}/kv/`, 'Key/Value')];
    let sofar = '';
    for (const p of parts) {
      sofar += `${p}/`;
      out.push(' / ', link(`/ui/${seg(datacenter)}/kv/${keyPath(sofar)}`, p));
    }
    return h('div', { class: 'crumbs' }, out);
  }

  async function kvWrite(method, key, query, body) {
    const resp = await fetch(`/v1/kv/${keyPath(key)}${query}`, { method, body });
    const text = await resp.text();
    if (!resp.ok) throw new Error(`${resp.status}: ${text}`);
    return text.trim() === 'true';
  }

  function kvFolderView(signal, prefix) {
    document.title = `Key/Value ${prefix} - coconsul dev agent`;
    const list = h('tbody');
    const message = h('p', { class: 'empty' });
    const keyInput = h('input', { type: 'text', name: 'key', placeholder: 'name, or folder/ to make a folder' });
    const valueInput = h('textarea', { name: 'value' });
    const notice = h('span', { class: 'notice' });
    const form = h('form', { class: 'kv', onsubmit: async (e) => {
      e.preventDefault();
      const key = prefix + keyInput.value;
      if (!keyInput.value) { notice.textContent = 'a key needs a name'; return; }
      try {
        await kvWrite('PUT', key, '', key.endsWith('/') ? '' : valueInput.value);
        keyInput.value = ''; valueInput.value = ''; notice.textContent = `saved ${key}`;
      } catch (err) { notice.textContent = err.message; }
    } }, h('label', {}, `Create under ${prefix || '/'}`), keyInput, h('label', {}, 'Value'), valueInput,
    h('button', { type: 'submit' }, 'Save'), notice);
    show(kvCrumbs(prefix), h('h1', {}, 'Key/Value'), h('table', {}, list), message, form);
    live(`/v1/kv/${keyPath(prefix)}?keys&separator=/`, signal, (keys) => {
      keys = (keys || []).filter((k) => k !== prefix);
      message.textContent = keys.length ? '' : 'No keys here.';
      list.replaceChildren(...keys.map((k) => {
        const rel = k.slice(prefix.length);
        const href = k.endsWith('/') ? `/ui/${seg(datacenter)}/kv/${keyPath(k)}` : `/ui/${seg(datacenter)}/kv/${keyPath(k)}/edit`;
        return h('tr', { 'data-key': k }, h('td', {}, link(href, rel)), h('td', {}, k.endsWith('/') ? 'folder' : 'key'));
      }));
    });
  }

  function decodeValue(b64) {
    if (!b64) return '';
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  }

  function kvKeyView(signal, key) {
    document.title = `${key} - coconsul dev agent`;
    const parent = key.includes('/') ? key.slice(0, key.lastIndexOf('/') + 1) : '';
    let loaded = null;  // the entry the editor shows
    let dirty = false;  // the user has typed: a change from the agent must not overwrite it
    const editor = h('textarea', { name: 'value', oninput: () => { dirty = true; } });
    const info = h('div', { class: 'meta' });
    const notice = h('span', { class: 'notice' });
    const save = async (e) => {
      e.preventDefault();
      try {
        const ok = await kvWrite('PUT', key, `?cas=${loaded ? loaded.ModifyIndex : 0}`, editor.value);
        notice.textContent = ok ? 'saved' : 'not saved: the key changed since it was loaded';
        if (ok) dirty = false;
      } catch (err) { notice.textContent = err.message; }
    };
    const remove = async () => {
      try {
        await kvWrite('DELETE', key, loaded ? `?cas=${loaded.ModifyIndex}` : '');
        history.pushState(null, '', `/ui/${seg(datacenter)}/kv/${keyPath(parent)}`);
        route();
      } catch (err) { notice.textContent = err.message; }
    };
    show(kvCrumbs(parent), h('h1', {}, key), info,
      h('form', { class: 'kv', onsubmit: save }, h('label', {}, 'Value'), editor,
        h('button', { type: 'submit' }, 'Save'), h('button', { type: 'button', class: 'danger', onclick: remove }, 'Delete'),
        notice));
    live(`/v1/kv/${keyPath(key)}`, signal, (entries) => {
      const entry = entries && entries[0];
      if (!entry) { info.textContent = 'This key does not exist (yet): Save creates it.'; loaded = null; return; }
      info.textContent = `flags ${entry.Flags} · modify index ${entry.ModifyIndex}` + (entry.Session ? ` · locked by session ${entry.Session}` : '');
      if (dirty && loaded && loaded.ModifyIndex !== entry.ModifyIndex) {
        notice.textContent = `changed on the agent (index ${entry.ModifyIndex}); Save will be refused`;
        return;
      }
      loaded = entry;
      if (!dirty) editor.value = decodeValue(entry.Value);
    });
  }

  // --- routes: Consul's UI paths, /ui/<dc>/services[/<name>/instances], /ui/<dc>/nodes[/<node>],
  // /ui/<dc>/kv/<folder>/ and /ui/<dc>/kv/<key>/edit ---
  function route() {
    if (running) running.abort();
    running = new AbortController();
    const signal = running.signal;
    const parts = location.pathname.replace(/^\/ui\/?/, '').split('/').map(decodeURIComponent);
    if (!parts[0]) { history.replaceState(null, '', `/ui/${seg(datacenter)}/services`); return route(); }
    const [, section, ...rest] = parts;
    for (const [id, name] of [['nav-services', 'services'], ['nav-nodes', 'nodes'], ['nav-kv', 'kv']]) {
      const a = document.getElementById(id);
      a.href = `/ui/${seg(datacenter)}/${name}${name === 'kv' ? '/' : ''}`;
      a.classList.toggle('active', section === name);
    }
    if (section === 'services' && rest[0]) return instancesView(signal, rest[0]);
    if (section === 'nodes' && rest[0]) return nodeView(signal, rest[0]);
    if (section === 'nodes') return nodesView(signal);
    if (section === 'kv') {
      const path = rest.join('/');
      if (path.endsWith('/edit')) return kvKeyView(signal, path.slice(0, -'/edit'.length));
      return kvFolderView(signal, path && !path.endsWith('/') ? `${path}/` : path);
    }
    return servicesView(signal);
  }

  document.addEventListener('click', (e) => {
    const a = e.target.closest('a[data-link]');
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    if (a.pathname !== location.pathname) history.pushState(null, '', a.pathname);
    route();
  });
  window.addEventListener('popstate', route);

  // Who this agent is, for the banner; then the first view.
  fetch('/v1/agent/self').then((r) => r.json()).then((self) => {
    datacenter = self.Config.Datacenter;
    document.getElementById('agent-identity').textContent =
      `node ${self.Config.NodeName} · datacenter ${self.Config.Datacenter} · Consul API ${self.Config.Version}`;
  }).catch(() => { /* the views still work; the banner just names no node */ }).finally(route);
})();
