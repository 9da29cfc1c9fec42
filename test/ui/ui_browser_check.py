"""The dev agent's web UI in a real browser (headless Chromium): the services list sees a
registered service, its instance page shows the check's output and turns critical without a
reload, and the KV editor saves a key the HTTP API then reads. Saves screenshots beside the build.

Usage: /usr/bin/python3 ui_browser_check.py PATH/TO/coconsul PATH/TO/chromium SCREENSHOT_DIR
"""
import base64
import json
import os
import sys
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "thirdparty"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import cdp  # needs python3-websocket
except ImportError:
    print("python3-websocket is not installed (scripts/install-deps.sh installs it): skipped")
    sys.exit(77)

from agent_process import DevAgent  # noqa: E402


def expect(what, condition):
    if not condition:
        sys.exit("FAILED: " + what)
    print("ok:", what)


def main():
    binary, chromium, shots = sys.argv[1], sys.argv[2], sys.argv[3]
    agent = DevAgent(binary)
    base = "http://%s" % agent.address

    def api(method, path, body=None):
        data = body.encode() if isinstance(body, str) else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(base + path, data=data, method=method)
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.read().decode()

    api("PUT", "/v1/agent/service/register",
        {"Name": "serverNode", "ID": "serverNode_1", "Address": "127.0.0.1", "Port": 9527,
         "Tags": ["echo"], "Check": {"CheckID": "serverNode_1:health", "Name": "echo health", "TTL": "10m"}})
    api("PUT", "/v1/agent/check/pass/serverNode_1:health?note=" + urllib.request.quote("HTTP GET http://127.0.0.1:9528/health: 200 OK"))

    browser = cdp.Browser(chromium)
    try:
        # The services list: the agent's own consul service and ours, with their health.
        browser.navigate(base + "/")  # "/" redirects to /ui/, which opens the services view
        browser.wait_for("the services list", "document.getElementById('service-count')?.textContent")
        count = browser.wait_for("two services", "(t => t === '2 services' && t)(document.getElementById('service-count').textContent)")
        expect("the heading counts 2 services", count == "2 services")
        health = browser.wait_for("serverNode's health", "document.querySelector('[data-service=\"serverNode\"] .health')?.textContent")
        expect("serverNode shows its passing check (%s)" % health, "passing" in health and "critical" not in health)
        expect("the page is at Consul's UI path", browser.evaluate("location.pathname") == "/ui/dc1/services")
        expect("the dev-agent banner is shown", "coconsul dev agent" in browser.evaluate("document.getElementById('dev-banner').textContent"))
        browser.screenshot(os.path.join(shots, "ui-services.png"))

        # Into the service: its instance, address, check and output, by following the link.
        browser.evaluate("window.__same_page = true; document.querySelector('[data-service=\"serverNode\"] a').click(); 1")
        meta = browser.wait_for("the instance", "document.querySelector('[data-instance=\"serverNode_1\"] .meta')?.textContent")
        expect("the instance shows 127.0.0.1:9527 (%s)" % meta, "127.0.0.1:9527" in meta)
        status = "document.querySelector('[data-check-id=\"serverNode_1:health\"] [data-status]')?.textContent"
        expect("the check is passing", browser.wait_for("the check's status", status) == "passing")
        output = browser.evaluate("document.querySelector('[data-check-id=\"serverNode_1:health\"] .output')?.textContent")
        expect("the check's output is shown", output == "HTTP GET http://127.0.0.1:9528/health: 200 OK")

        # The check turns critical: the page shows it through its blocking query, without a reload.
        api("PUT", "/v1/agent/check/fail/serverNode_1:health?note=" + urllib.request.quote("connection refused"))
        browser.wait_for("the check to turn critical", "(s => s === 'critical')(%s)" % status)
        expect("the critical check's output is shown",
               browser.wait_for("the new output", "(o => o === 'connection refused' && o)(document.querySelector('[data-check-id=\"serverNode_1:health\"] .output')?.textContent)"))
        expect("the page was not reloaded", browser.evaluate("window.__same_page === true"))
        browser.screenshot(os.path.join(shots, "ui-instance-critical.png"))
        # Back to the list through the page's own link: the service counts its critical check.
        browser.evaluate("document.querySelector('.crumbs a').click(); 1")
        health = browser.wait_for("the list to show the critical check",
                                  "(t => t && t.includes('critical') && t)(document.querySelector('[data-service=\"serverNode\"] .health')?.textContent)")
        expect("the services list counts it (%s)" % health, health == "1 passing1 critical")
        expect("still the same page", browser.evaluate("window.__same_page === true"))

        # The KV editor: create a key through the form; the API reads it back; a change made
        # through the API shows in the open editor.
        browser.navigate(base + "/ui/dc1/kv/")
        browser.wait_for("the KV view", "!!document.querySelector('form.kv input[name=key]')")
        browser.evaluate("""(() => {
            const f = document.querySelector('form.kv');
            f.querySelector('input[name=key]').value = 'web/config';
            f.querySelector('textarea[name=value]').value = 'max_conns = 10';
            f.requestSubmit(); return 1; })()""")
        browser.wait_for("the new key in the list", "!!document.querySelector('[data-key=\"web/\"]')")
        stored = json.loads(api("GET", "/v1/kv/web/config"))[0]
        expect("the UI stored the value", base64.b64decode(stored["Value"]).decode() == "max_conns = 10")
        browser.navigate(base + "/ui/dc1/kv/web/config/edit")
        browser.wait_for("the editor", "(v => v === 'max_conns = 10')(document.querySelector('textarea[name=value]')?.value)")
        api("PUT", "/v1/kv/web/config", "max_conns = 20")
        browser.wait_for("the editor to follow the change", "(v => v === 'max_conns = 20')(document.querySelector('textarea[name=value]')?.value)")
        expect("the open editor follows a change made elsewhere", True)
    except TimeoutError as e:
        sys.exit("FAILED: %s" % e)
    finally:
        browser.close()
        agent.stop()
    print("all UI checks passed")


if __name__ == "__main__":
    main()
