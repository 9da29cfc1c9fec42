"""Debian's python3-consul2 driving the dev agent's ACL system (issue 14): every ACL call the
client has (bootstrap, tokens, policies, roles, auth methods, binding rules, login and logout,
replication, the legacy routes) against `coconsul agent -dev` with ACLs on and default deny, and
the tokens it makes enforced on KV and service registration.

Usage: /usr/bin/python3 python_consul2_acl_check.py PATH/TO/coconsul
"""
import base64
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import consul  # noqa: E402  (Debian's python3-consul2)
except ImportError:
    print("python3-consul2 is not installed (scripts/install-deps.sh installs it): skipped")
    sys.exit(77)

from agent_process import DevAgent  # noqa: E402

warnings.simplefilter("ignore", DeprecationWarning)  # the client warns about its legacy calls


def expect(what, condition):
    if not condition:
        sys.exit("FAILED: " + what)
    print("ok:", what)


def raises(what, exception, call, text=None):
    try:
        call()
    except exception as e:
        if text is not None and text not in str(e):
            sys.exit("FAILED: %s: %r lacks %r" % (what, str(e), text))
        print("ok:", what)
        return
    sys.exit("FAILED: %s: no %s raised" % (what, exception.__name__))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed_jwt(key_path, claims):
    """An RS256 JWT signed by OpenSSL's command line (python has no JWT library here)."""
    head = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps(claims).encode())
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key_path],
                               input=(head + "." + body).encode(), capture_output=True, check=True).stdout
    return head + "." + body + "." + b64url(signature)


def main():
    work = tempfile.mkdtemp(prefix="coconsul-acl-")
    config = os.path.join(work, "acl.json")
    with open(config, "w") as f:
        json.dump({"acl": {"enabled": True, "default_policy": "deny"}}, f)
    agent = DevAgent(sys.argv[1], "-config-file", config)
    try:
        anonymous = consul.Consul(host=agent.host, port=agent.port)
        raises("the anonymous token may not read KV under default deny", consul.ACLPermissionDenied,
               lambda: anonymous.kv.get("app/x"), "Permission denied")

        # Bootstrap once; the second answers Consul's reset-index text.
        root = anonymous.acl.bootstrap()
        expect("bootstrap gives a management token", len(root["SecretID"]) == 36
               and root["Policies"][0]["Name"] == "global-management")
        raises("a second bootstrap is refused", consul.ACLPermissionDenied, anonymous.acl.bootstrap,
               "ACL bootstrap no longer allowed (reset index: ")
        admin = consul.Consul(host=agent.host, port=agent.port, token=root["SecretID"])
        expect("token self", admin.acl.tokens.self()["AccessorID"] == root["AccessorID"])
        expect("replication status of a primary", admin.acl.replication()["Enabled"] is False)

        # Policies.
        policy = admin.acl.policy.create("kv-app", description="app keys", rules='key_prefix "app/" { policy = "write" }')
        expect("policy read by ID and by name", admin.acl.policy.get(policy["ID"])["Rules"] == policy["Rules"]
               and admin.acl.policy.get(name="kv-app")["ID"] == policy["ID"])
        updated = admin.acl.policy.update(policy["ID"], "kv-app", description="the app's keys",
                                          rules='key_prefix "app/" { policy = "write" }')
        expect("policy update", updated["Description"] == "the app's keys" and updated["ModifyIndex"] > policy["ModifyIndex"])
        names = [p["Name"] for p in admin.acl.policy.list()]
        expect("policy list", "kv-app" in names and "global-management" in names)
        raises("rules that do not parse are refused", consul.ConsulException,
               lambda: admin.acl.policy.create("bad", rules='key "x" { policy = "own" }'), "Invalid key policy")

        # Roles.
        role = admin.acl.roles.create({"Name": "app-role", "Policies": [{"ID": policy["ID"]}]})
        expect("role read by ID and by name", admin.acl.roles.get(role["ID"])["Name"] == "app-role"
               and admin.acl.roles.get_by_name("app-role")["ID"] == role["ID"])
        # roles.list(policy=...) quotes the '?' of the query it writes into the path (%3F), so real
        # Consul answers it 404 too (python3-consul2 0.1.5): the plain list only.
        expect("role list", [r["ID"] for r in admin.acl.roles.list()] == [role["ID"]])
        expect("a path with a quoted '?' is no route, as in Consul", admin.acl.roles.list(policy=policy["ID"])[1] is None)
        role = admin.acl.roles.update({"Name": "app-role", "Description": "the app",
                                       "Policies": [{"Name": "kv-app"}]}, role["ID"])
        expect("role update", role["Description"] == "the app")

        # Tokens: a role's rules enforced.
        token = admin.acl.tokens.create({"Description": "app", "Roles": [{"Name": "app-role"}]})
        app = consul.Consul(host=agent.host, port=agent.port, token=token["SecretID"])
        expect("a token with the role writes under app/", app.kv.put("app/x", "1") is True)
        raises("and may not read elsewhere", consul.ACLPermissionDenied, lambda: app.kv.get("other"),
               "lacks permission 'key:read' on \"other\"")
        expect("token read", admin.acl.tokens.get(token["AccessorID"])["Description"] == "app")
        expect("tokens by role", [t["AccessorID"] for t in admin.acl.tokens.list(role=role["ID"])] == [token["AccessorID"]])
        clone = admin.acl.tokens.clone(description="app clone", accessor_id=token["AccessorID"])
        expect("token clone", clone["Description"] == "app clone" and clone["Roles"][0]["Name"] == "app-role"
               and clone["SecretID"] != token["SecretID"])
        token = admin.acl.tokens.update({"Description": "app, kv only", "Policies": [{"Name": "kv-app"}]},
                                        token["AccessorID"])
        expect("token update", token["Description"] == "app, kv only" and "Roles" not in token)
        expect("token delete", admin.acl.tokens.delete(clone["AccessorID"]) is True)
        raises("a deleted token is not found", consul.ACLPermissionDenied,
               lambda: consul.Consul(host=agent.host, port=agent.port, token=clone["SecretID"]).kv.get("app/x"),
               "ACL not found")

        # A jwt auth method and a binding rule: login gives a token with the bound service identity.
        key = os.path.join(work, "key.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key],
                       capture_output=True, check=True)
        public = subprocess.run(["openssl", "pkey", "-in", key, "-pubout"], capture_output=True, check=True,
                                text=True).stdout
        method = admin.acl.auth_method.create({"Name": "py-jwt", "Type": "jwt", "Config": {
            "JWTValidationPubKeys": [public], "BoundIssuer": "https://issuer.example",
            "ClaimMappings": {"service": "service"}}})
        expect("auth method create and read", method["Type"] == "jwt"
               and admin.acl.auth_method.get("py-jwt")["Config"]["BoundIssuer"] == "https://issuer.example")
        expect("auth method list", [m["Name"] for m in admin.acl.auth_method.list()] == ["py-jwt"])
        rule = admin.acl.binding_rule.create({"AuthMethod": "py-jwt", "BindType": "service",
                                              "BindName": "${value.service}"})
        expect("binding rule read and list", admin.acl.binding_rule.get(rule["ID"])["BindName"] == "${value.service}"
               and [r["ID"] for r in admin.acl.binding_rule.list()] == [rule["ID"]])
        rule = admin.acl.binding_rule.update({"AuthMethod": "py-jwt", "BindType": "service",
                                              "BindName": "${value.service}", "Description": "services"}, rule["ID"])
        expect("binding rule update", rule["Description"] == "services")

        now = int(time.time())
        jwt = signed_jwt(key, {"iss": "https://issuer.example", "sub": "web-1", "service": "web",
                               "iat": now, "nbf": now, "exp": now + 300})
        login = anonymous.acl.login("py-jwt", jwt, meta={"pod": "web-1"})
        expect("login gives a token with the bound service identity",
               login["AuthMethod"] == "py-jwt" and login["ServiceIdentities"] == [{"ServiceName": "web"}])
        web = consul.Consul(host=agent.host, port=agent.port, token=login["SecretID"])
        expect("the login token registers its service", web.agent.service.register("web", port=8080) is True)
        raises("and no other", consul.ACLPermissionDenied, lambda: web.agent.service.register("db", port=5432),
               "lacks permission 'service:write' on \"db\"")
        expect("tokens by auth method",
               [t["AccessorID"] for t in admin.acl.tokens.list(authmethod="py-jwt")] == [login["AccessorID"]])
        raises("a token signed by another key does not log in", consul.ConsulException,
               lambda: anonymous.acl.login("py-jwt", jwt[:-4] + "AAAA"))
        expect("logout", web.acl.logout() is True)
        raises("a logged-out token is gone", consul.ACLPermissionDenied, web.acl.tokens.self, "ACL not found")
        expect("binding rule delete", admin.acl.binding_rule.delete(rule["ID"]) is True)
        expect("auth method delete", admin.acl.auth_method.delete("py-jwt") is True)

        # The legacy routes are gone, as in Consul 1.11 and later.
        raises("legacy ACL list", consul.ConsulException, admin.acl.list, "410")
        raises("legacy ACL create", consul.ConsulException, lambda: admin.acl.create(name="old"), "410")

        expect("role delete", admin.acl.roles.delete(role["ID"]) is True)
        expect("policy delete", admin.acl.policy.delete(policy["ID"]) is True)
        expect("the token lost the deleted policy", "Policies" not in admin.acl.tokens.get(token["AccessorID"]))
    finally:
        agent.stop()
    print("python3-consul2's ACL calls passed")


if __name__ == "__main__":
    main()
