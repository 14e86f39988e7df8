"""SigV4 on the REST API: `/v1/*` takes a signature (service network-firewall or acm) instead of
the bearer token, with the same refusals (401/403); `/v1/access-keys*` takes the bearer token only.
Also the access-key routes themselves.

Run: python3 -m unittest discover -s Tests/aws -p 'test_rest_sigv4.py' -v
"""

from __future__ import annotations

import datetime
import json
import re
import unittest

from server import RampartServer, send
from signing import send_signed, sign, utc_now

GROUP = {"RuleGroupName": "signed", "Type": "STATEFUL", "Capacity": 1,
         "Rules": 'pass tcp any any -> any 80 (msg:"signed"; sid:1;)'}


class RestSigV4Tests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = RampartServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls.key = cls.server.create_access_key()

    def signed(self, method: str, path: str, body=None, service: str = "network-firewall", key=None, **options):
        data = json.dumps(body).encode() if body is not None else b""
        headers = {"Content-Type": "application/json"} if body is not None else {}
        return sign(self.server.port, key or self.key, method, path, body=data, headers=headers,
                    service=service, region=options.pop("region", self.server.region), **options)

    def assert_refused(self, request, code: str):
        reply = send_signed(self.server.port, request)
        self.assertIn(reply.status, (401, 403), f"expected {code}: {reply}")
        self.assertEqual((reply.json() or {}).get("__type"), code, str(reply))
        return reply

    def group_names(self) -> set[str]:
        return {g["Name"] for g in self.server.rest("GET", "/v1/rule-groups").json()["RuleGroups"]}

    def key_ids(self) -> set[str]:
        return {k["AccessKeyId"] for k in self.server.rest("GET", "/v1/access-keys").json()["AccessKeys"]}

    # access keys ---------------------------------------------------------------------------
    def test_access_key_shapes(self):
        self.assertRegex(self.key["AccessKeyId"], r"^AKIA[A-Z0-9]{16}$")
        self.assertEqual(len(self.key["SecretAccessKey"]), 40)
        self.assertIsInstance(self.key["CreatedAt"], (int, float))
        empty_object = self.server.rest("POST", "/v1/access-keys", body={})
        self.assertEqual(empty_object.status, 201, str(empty_object))
        listing = self.server.rest("GET", "/v1/access-keys")
        self.assertEqual(listing.status, 200, str(listing))
        for entry in listing.json()["AccessKeys"]:
            self.assertEqual(set(entry), {"AccessKeyId", "CreatedAt"}, "a listing never shows a secret")
        self.assertIn(empty_object.json()["AccessKeyId"], self.key_ids())
        self.assertNotIn(self.key["SecretAccessKey"], listing.body.decode())

    def test_access_keys_need_the_admin_token(self):
        before = self.key_ids()
        for method in ("GET", "POST"):
            reply = send(self.server.port, method, "/v1/access-keys")
            self.assertEqual(reply.status, 401, str(reply))
            reply = self.server.rest(method, "/v1/access-keys", token="not-the-token")
            self.assertEqual(reply.status, 401, str(reply))
            self.assertEqual(reply.json()["__type"], "UnrecognizedClientException")
        unknown = self.server.delete_access_key("AKIAAAAAAAAAAAAAAAAA")
        self.assertEqual(unknown.status, 404, str(unknown))
        self.assertEqual(unknown.json()["__type"], "ResourceNotFoundException")
        self.assertEqual(self.key_ids(), before)

    def test_sigv4_is_refused_on_access_keys(self):
        before = self.key_ids()
        for method, path in (("GET", "/v1/access-keys"), ("POST", "/v1/access-keys"),
                             ("DELETE", f"/v1/access-keys/{self.key['AccessKeyId']}")):
            with self.subTest(f"{method} {path}"):
                reply = send_signed(self.server.port, self.signed(method, path))
                self.assertIn(reply.status, (401, 403), str(reply))
        self.assertEqual(self.key_ids(), before)

    # /v1 with SigV4 ------------------------------------------------------------------------
    def test_valid_signatures_work(self):
        for service in ("network-firewall", "acm"):
            with self.subTest(service):
                reply = send_signed(self.server.port, self.signed("GET", "/v1/rule-groups", service=service))
                self.assertEqual(reply.status, 200, str(reply))
                self.assertIn("RuleGroups", reply.json())
        reply = send_signed(self.server.port, self.signed("GET", "/v1/rule-groups?Type=STATEFUL&MaxResults=5"))
        self.assertEqual(reply.status, 200, f"signed query string: {reply}")

    def test_signed_write_and_altered_write(self):
        created = send_signed(self.server.port, self.signed("POST", "/v1/rule-groups", GROUP))
        self.assertEqual(created.status, 201, str(created))
        altered = self.signed("POST", "/v1/rule-groups", {**GROUP, "RuleGroupName": "signed-2"})
        altered.body = altered.body.replace(b"signed-2", b"signed-3")
        self.assert_refused(altered, "InvalidSignatureException")
        names = self.group_names()
        self.assertIn("signed", names)
        self.assertFalse({"signed-2", "signed-3"} & names)

    def test_altered_and_forged_signatures_are_refused(self):
        now = utc_now()
        path = "/v1/rule-groups"
        cases = []
        r = self.signed("GET", path)
        r.path = path + "?Type=STATELESS"
        cases.append(("query added", "InvalidSignatureException", r))
        r = self.signed("GET", path)
        r.path = "/v1/firewalls"
        cases.append(("path changed", "InvalidSignatureException", r))
        cases.append(("wrong secret", "InvalidSignatureException",
                      self.signed("GET", path, key={"AccessKeyId": self.key["AccessKeyId"], "SecretAccessKey": "y" * 40})))
        cases.append(("unknown key", "UnrecognizedClientException",
                      self.signed("GET", path, key={"AccessKeyId": "AKIAZZZZZZZZZZZZZZZZ", "SecretAccessKey": "y" * 40})))
        cases.append(("expired", "InvalidSignatureException", self.signed("GET", path, when=now - datetime.timedelta(minutes=20))))
        cases.append(("future", "InvalidSignatureException", self.signed("GET", path, when=now + datetime.timedelta(minutes=20))))
        cases.append(("wrong region", "InvalidSignatureException", self.signed("GET", path, region="ap-south-1")))
        cases.append(("other service", "InvalidSignatureException", self.signed("GET", path, service="ec2")))
        cases.append(("host not signed", "IncompleteSignatureException", self.signed("GET", path, unsigned=("host",))))
        r = self.signed("GET", path)
        r.headers["Authorization"] = re.sub(r"Signature=\w+", "Signature=abc", r.headers["Authorization"])
        cases.append(("short signature", "IncompleteSignatureException", r))
        for name, code, request in cases:
            with self.subTest(name):
                self.assert_refused(request, code)

    def test_no_credentials(self):
        reply = send(self.server.port, "GET", "/v1/rule-groups")
        self.assertEqual(reply.status, 401, str(reply))
        self.assertEqual(reply.json()["__type"], "MissingAuthenticationTokenException")


if __name__ == "__main__":
    unittest.main()
