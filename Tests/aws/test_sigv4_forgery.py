"""Forged and altered SigV4 requests to `POST /`: each is refused with its code, and nothing changes.

Requests are signed with botocore's SigV4Auth (see signing.py), then altered and sent with
http.client. The forged requests are writes (CreateRuleGroup, TagResource, ImportCertificate);
after them the state read back through a valid client is what the valid requests made.

Run: python3 -m unittest discover -s Tests/aws -p 'test_sigv4_forgery.py' -v
"""

from __future__ import annotations

import datetime
import json
import secrets
import shutil
import string
import tempfile
import unittest
from pathlib import Path

import certs
from clients import boto3_client
from server import RampartServer
from signing import TIMESTAMP, body_sha256, send_signed, sign, sign_target, utc_now

MISSING = "MissingAuthenticationTokenException"
INCOMPLETE = "IncompleteSignatureException"
UNRECOGNIZED = "UnrecognizedClientException"
INVALID = "InvalidSignatureException"


def random_key() -> dict:
    alphabet = string.ascii_uppercase + "234567"
    return {"AccessKeyId": "AKIA" + "".join(secrets.choice(alphabet) for _ in range(16)),
            "SecretAccessKey": secrets.token_urlsafe(30)[:40]}


class SigV4ForgeryTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = RampartServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls.tmp = Path(tempfile.mkdtemp(prefix="rampart-aws-forgery-"))
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.key = cls.server.create_access_key()
        cls.other_key = cls.server.create_access_key()
        cls.nf = boto3_client("network-firewall", cls.server.endpoint, cls.key, cls.server.region)
        cls.acm = boto3_client("acm", cls.server.endpoint, cls.key, cls.server.region)
        pem, key = certs.ec_server_cert(cls.tmp, "forged", "forged.rampart.test")
        cls.import_payload = {"Certificate": certs.pem_b64(pem), "PrivateKey": certs.pem_b64(key)}
        cls.counter = 0
        # the control: a valid signed request succeeds
        reply = cls.send(cls.create_group("control"))
        if reply.status != 200:
            raise AssertionError(f"valid signed CreateRuleGroup refused: {reply}")
        cls.control_arn = reply.json()["RuleGroupResponse"]["RuleGroupArn"]
        cls.expected_groups = {"control"}
        cls.expected_tags = []

    # building and sending -------------------------------------------------------------------
    @classmethod
    def signed(cls, operation: str, payload, key: dict | None = None, **options):
        return sign_target(cls.server.port, key or cls.key, operation, payload,
                           region=options.pop("region", cls.server.region), **options)

    @classmethod
    def create_group(cls, name: str | None = None, **options):
        if name is None:
            cls.counter += 1
            name = f"forged-{cls.counter}"
        payload = {"RuleGroupName": name, "Type": "STATEFUL", "Capacity": 1,
                   "Rules": f'pass tcp any any -> any 80 (msg:"{name}"; sid:1;)'}
        return cls.signed("CreateRuleGroup", payload, **options)

    @classmethod
    def send(cls, request):
        return send_signed(cls.server.port, request)

    def assert_refused(self, request, code: str, acm: bool = False):
        reply = self.send(request)
        self.assertIn(reply.status, (400, 403), f"expected {code}: {reply}")
        body = reply.json() or {}
        self.assertEqual(body.get("__type"), code, str(reply))
        self.assertEqual(reply.header("X-Amzn-ErrorType"), code, str(reply))
        self.assertIsInstance(body.get("message" if acm else "Message"), str, str(reply))
        return reply

    def assert_unchanged(self):
        groups = {g["Name"] for p in self.nf.get_paginator("list_rule_groups").paginate() for g in p["RuleGroups"]}
        self.assertEqual(groups, self.expected_groups)
        tags = self.nf.list_tags_for_resource(ResourceArn=self.control_arn).get("Tags", [])
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in tags), sorted(self.expected_tags))
        everything = {"keyTypes": ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1",
                                   "EC_secp384r1", "EC_secp521r1"]}
        self.assertEqual(self.acm.list_certificates(Includes=everything)["CertificateSummaryList"], [])

    # the forgeries --------------------------------------------------------------------------
    def forgeries(self):
        """(name, expected code, request, is ACM) for every refusal category and more variants."""
        now = utc_now()
        cases = []

        def add(name, code, request, acm=False):
            cases.append((name, code, request, acm))

        r = self.create_group()
        del r.headers["Authorization"]
        add("no Authorization header", MISSING, r)

        r = self.create_group()
        r.headers["Authorization"] = f"Bearer {self.server.token}"
        add("bearer token instead of a signature", INCOMPLETE, r)

        r = self.create_group()
        r.headers["Authorization"] = r.headers["Authorization"].replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512", 1)
        add("unknown algorithm", INCOMPLETE, r)

        for part in ("Credential", "SignedHeaders", "Signature"):
            r = self.create_group()
            parts = r.authorization_parts()
            scheme = parts.pop("scheme")
            parts.pop(part)
            r.set_authorization(scheme, **parts)
            add(f"no {part}=", INCOMPLETE, r)

        r = self.create_group()
        parts = r.authorization_parts()
        parts.pop("scheme")
        key_id, date, region, service, _ = parts["Credential"].split("/")
        r.set_authorization(**{**parts, "Credential": f"{key_id}/{date}/{region}/aws4_request"})
        add("credential scope without the service", INCOMPLETE, r)

        r = self.create_group()
        r.set_authorization(**{**parts, "Credential": f"{key_id}/{date}/{region}/{service}/aws5_request"})
        # five parts, but not scoped as AWS requires: AWS answers this like a wrong service or
        # region ("Credential should be scoped with a valid terminator"), a signature mismatch
        add("credential scope with a wrong terminator", INVALID, r)

        r = self.create_group()
        del r.headers["X-Amz-Date"]
        add("no X-Amz-Date", INCOMPLETE, r)

        r = self.create_group()
        r.headers["X-Amz-Date"] = now.strftime("%Y-%m-%d %H:%M:%S")
        add("malformed X-Amz-Date", INCOMPLETE, r)

        for header in ("host", "x-amz-date", "x-amz-target"):
            add(f"{header} not signed", INCOMPLETE, self.create_group(unsigned=(header,)))

        r = self.create_group()
        parts = r.authorization_parts()
        parts.pop("scheme")
        r.set_authorization(**{**parts, "Signature": parts["Signature"][:63]})
        add("63-character signature", INCOMPLETE, r)

        r = self.create_group()
        r.set_authorization(**{**parts, "Signature": "z" * 64})
        add("signature not hex", INCOMPLETE, r)

        add("unknown access key id", UNRECOGNIZED, self.create_group(key=random_key()))
        add("unknown access key id (ACM)", UNRECOGNIZED,
            self.signed("CertificateManager.ImportCertificate", self.import_payload, key=random_key()), True)

        add("wrong secret", INVALID,
            self.create_group(key={"AccessKeyId": self.key["AccessKeyId"], "SecretAccessKey": random_key()["SecretAccessKey"]}))
        add("key id of another key", INVALID,
            self.create_group(key={"AccessKeyId": self.other_key["AccessKeyId"], "SecretAccessKey": self.key["SecretAccessKey"]}))

        r = self.create_group()
        r.body = r.body.replace(b'"Capacity": 1', b'"Capacity": 2')
        add("body changed after signing", INVALID, r)

        r = self.create_group()
        r.headers["X-Amz-Target"] = "NetworkFirewall_20201112.CreateFirewallPolicy"
        add("target changed after signing", INVALID, r)

        r = self.signed("ListRuleGroups", json.loads(self.create_group().body))
        r.headers["X-Amz-Target"] = "NetworkFirewall_20201112.CreateRuleGroup"
        add("read-only target swapped for a write", INVALID, r)

        add("signed for another path", INVALID, self.create_group(signed_path="/v1/rule-groups"))

        r = self.create_group()
        r.path = "/?Action=CreateRuleGroup"
        add("query added after signing", INVALID, r)

        r = self.create_group(headers={"X-Rampart-Note": "signed"})
        r.headers["X-Rampart-Note"] = "changed"
        add("signed header changed", INVALID, r)

        r = self.create_group()
        r.headers["Host"] = f"localhost:{self.server.port}"
        add("Host changed after signing", INVALID, r)

        r = self.create_group(when=now)
        r.headers["X-Amz-Date"] = (now + datetime.timedelta(seconds=1)).strftime(TIMESTAMP)
        add("X-Amz-Date changed after signing", INVALID, r)

        add("signed 20 minutes ago", INVALID, self.create_group(when=now - datetime.timedelta(minutes=20)))
        add("signed 20 minutes ahead", INVALID, self.create_group(when=now + datetime.timedelta(minutes=20)))
        add("signed a day ago", INVALID, self.create_group(when=now - datetime.timedelta(days=1)))

        yesterday = (now - datetime.timedelta(days=1)).strftime("%Y%m%d")
        add("scope date is not X-Amz-Date's date", INVALID, self.create_group(when=now, scope_date=yesterday))

        add("wrong region", INVALID, self.create_group(region="eu-west-1"))
        add("wrong service (acm for Network Firewall)", INVALID, self.create_group(service="acm"))
        add("unknown service", INVALID, self.create_group(service="ec2"))
        add("wrong service (network-firewall for ACM)", INVALID,
            self.signed("CertificateManager.ImportCertificate", self.import_payload, service="network-firewall"), True)
        add("wrong region (ACM)", INVALID,
            self.signed("CertificateManager.ImportCertificate", self.import_payload, region="us-west-2"), True)

        # the signature covers the header's hash, and the header is not the body's hash
        r = self.create_group(headers={"X-Amz-Content-Sha256": body_sha256(b"{}")})
        add("signed X-Amz-Content-Sha256 is not the body's", INVALID, r)

        r = self.create_group()
        donor = self.create_group()
        parts = r.authorization_parts()
        parts.pop("scheme")
        r.set_authorization(**{**parts, "Signature": donor.authorization_parts()["Signature"]})
        add("signature of another request", INVALID, r)

        tag = {"ResourceArn": self.control_arn, "Tags": [{"Key": "forged", "Value": "yes"}]}
        add("TagResource with a wrong secret", INVALID,
            self.signed("TagResource", tag, key={"AccessKeyId": self.key["AccessKeyId"], "SecretAccessKey": "x" * 40}))
        r = self.signed("TagResource", tag)
        r.body = r.body.replace(b'"yes"', b'"no"')
        add("TagResource body changed", INVALID, r)
        return cases

    def test_forged_requests_are_refused_and_change_nothing(self):
        cases = self.forgeries()
        self.assertGreaterEqual(len(cases), 20)
        for name, code, request, acm in cases:
            with self.subTest(name):
                self.assert_refused(request, code, acm)
        self.assert_unchanged()

    def test_valid_request_then_replay_with_changed_body(self):
        valid = self.signed("TagResource", {"ResourceArn": self.control_arn, "Tags": [{"Key": "k", "Value": "v1"}]})
        reply = self.send(valid)
        self.assertEqual(reply.status, 200, str(reply))
        self.assertTrue(reply.header("x-amzn-RequestId"), str(reply))
        self.assertEqual(reply.header("Content-Type"), "application/x-amz-json-1.0", str(reply))
        type(self).expected_tags = [("k", "v1")]
        listing = self.signed("ListRuleGroups", {}, headers={"X-Amz-Content-Sha256": body_sha256(b"{}")})
        reply = self.send(listing)
        self.assertEqual(reply.status, 200, f"a matching X-Amz-Content-Sha256 is accepted: {reply}")
        replay = valid.copy()
        replay.body = valid.body.replace(b'"v1"', b'"v2"')
        self.assert_refused(replay, INVALID)
        self.assert_unchanged()

    def test_clock_skew_within_fifteen_minutes_is_accepted(self):
        now = utc_now()
        for minutes in (-14, 14):
            with self.subTest(minutes=minutes):
                reply = self.send(self.signed("ListRuleGroups", {}, when=now + datetime.timedelta(minutes=minutes)))
                self.assertEqual(reply.status, 200, str(reply))

    def test_revoked_key_is_refused_at_once(self):
        doomed = self.server.create_access_key()
        reply = self.send(self.signed("ListRuleGroups", {}, key=doomed))
        self.assertEqual(reply.status, 200, str(reply))
        rest = sign(self.server.port, doomed, "GET", "/v1/rule-groups", service="network-firewall", region=self.server.region)
        self.assertEqual(send_signed(self.server.port, rest).status, 200)
        self.assertEqual(self.server.delete_access_key(doomed["AccessKeyId"]).status, 204)
        self.assert_refused(self.create_group(key=doomed), UNRECOGNIZED)
        self.assert_refused(self.signed("ListRuleGroups", {}, key=doomed), UNRECOGNIZED)
        rest = sign(self.server.port, doomed, "GET", "/v1/rule-groups", service="network-firewall", region=self.server.region)
        refused = send_signed(self.server.port, rest)
        self.assertIn(refused.status, (401, 403), str(refused))
        self.assertEqual(refused.json()["__type"], UNRECOGNIZED, str(refused))
        gone = self.server.delete_access_key(doomed["AccessKeyId"])
        self.assertEqual(gone.status, 404, str(gone))
        self.assertEqual(gone.json()["__type"], "ResourceNotFoundException")
        listed = {k["AccessKeyId"] for k in self.server.rest("GET", "/v1/access-keys").json()["AccessKeys"]}
        self.assertNotIn(doomed["AccessKeyId"], listed)
        self.assertIn(self.key["AccessKeyId"], listed)
        self.assert_unchanged()

    def test_acm_refusals_use_lowercase_message(self):
        r = self.signed("CertificateManager.ImportCertificate", self.import_payload)
        r.body = r.body[:-1] + b', "Tags": [{"Key": "forged"}]}'
        reply = self.assert_refused(r, INVALID, acm=True)
        self.assertEqual(reply.header("Content-Type"), "application/x-amz-json-1.1", str(reply))
        self.assert_unchanged()


if __name__ == "__main__":
    unittest.main()
