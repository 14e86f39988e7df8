"""The walkthrough's resources through boto3 (`endpoint_url=`), its paginators, and modelled
errors raised as the clients' exception classes. No lab.

Run: python3 -m unittest discover -s Tests/aws -p 'test_boto3_flow.py' -v
"""

from __future__ import annotations

import shutil
import tempfile
import unittest
import uuid
from pathlib import Path

import certs
from clients import boto3_client
from server import RampartServer
from signing import send_signed, sign_target
from walkthrough import EXTRA_RULES, RULES, RULES_V2, SUBNET_ID, VPC_ID, firewall_policy, s3_logging, tls_configuration

MISSING_CERT = "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-4000-8000-000000000000"


class Boto3FlowTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = RampartServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls.tmp = Path(tempfile.mkdtemp(prefix="rampart-aws-boto3-"))
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.key = cls.server.create_access_key()
        cls.nf = boto3_client("network-firewall", cls.server.endpoint, cls.key, cls.server.region)
        cls.acm = boto3_client("acm", cls.server.endpoint, cls.key, cls.server.region)

        ca_pem, ca_key = certs.rsa_ca(cls.tmp)
        cls.ca_pem = ca_pem
        cls.ca_arn = cls.acm.import_certificate(Certificate=ca_pem.read_bytes(), PrivateKey=ca_key.read_bytes())["CertificateArn"]
        created = cls.nf.create_rule_group(RuleGroupName="egress-rules", Type="STATEFUL", Capacity=10, Rules=RULES)
        cls.rule_group_arn = created["RuleGroupResponse"]["RuleGroupArn"]
        cls.first_token = created["UpdateToken"]
        cls.nf.create_rule_group(RuleGroupName="egress-extra", Type="STATEFUL", Capacity=5, Rules=EXTRA_RULES)
        tls = cls.nf.create_tls_inspection_configuration(
            TLSInspectionConfigurationName="egress-tls", TLSInspectionConfiguration=tls_configuration(cls.ca_arn))
        cls.tls_arn = tls["TLSInspectionConfigurationResponse"]["TLSInspectionConfigurationArn"]
        policy = cls.nf.create_firewall_policy(
            FirewallPolicyName="egress-policy", FirewallPolicy=firewall_policy(cls.rule_group_arn, cls.tls_arn))
        cls.policy_arn = policy["FirewallPolicyResponse"]["FirewallPolicyArn"]
        firewall = cls.nf.create_firewall(
            FirewallName="egress", FirewallPolicyArn=cls.policy_arn, VpcId=VPC_ID,
            SubnetMappings=[{"SubnetId": SUBNET_ID, "IPAddressType": "IPV4"}], DeleteProtection=False)
        cls.firewall_arn = firewall["Firewall"]["FirewallArn"]

    def test_describe_shows_what_was_created(self):
        out = self.nf.describe_firewall(FirewallName="egress")
        self.assertEqual(out["Firewall"]["VpcId"], VPC_ID)
        self.assertEqual(out["Firewall"]["SubnetMappings"][0]["SubnetId"], SUBNET_ID)
        self.assertIn(out["FirewallStatus"]["Status"], {"PROVISIONING", "READY"})
        self.assertEqual(out["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertTrue(out["ResponseMetadata"]["RequestId"])
        policy = self.nf.describe_firewall_policy(FirewallPolicyArn=self.policy_arn)["FirewallPolicy"]
        self.assertTrue(policy["EnableTLSSessionHolding"])
        self.assertEqual(policy["TLSInspectionConfigurationArn"], self.tls_arn)
        cert = self.acm.describe_certificate(CertificateArn=self.ca_arn)["Certificate"]
        self.assertEqual(cert["Status"], "ISSUED")
        self.assertIn(self.tls_arn, cert["InUseBy"])

    def test_rule_group_paginator(self):
        pages = list(self.nf.get_paginator("list_rule_groups").paginate(PaginationConfig={"PageSize": 1}))
        self.assertEqual([len(p["RuleGroups"]) for p in pages], [1, 1], pages)
        self.assertIn("NextToken", pages[0])
        self.assertNotIn("NextToken", pages[-1])
        self.assertEqual({g["Name"] for p in pages for g in p["RuleGroups"]}, {"egress-rules", "egress-extra"})

    def test_certificate_paginator_and_key_type_filter(self):
        ec_pem, ec_key = certs.ec_server_cert(self.tmp, "ec-boto3", "ec-boto3.rampart.test")
        ec_arn = self.acm.import_certificate(Certificate=ec_pem.read_bytes(), PrivateKey=ec_key.read_bytes())["CertificateArn"]
        extra_pem, extra_key = certs.rsa_ca(self.tmp, "extra", "extra.rampart.test")
        extra_arn = self.acm.import_certificate(Certificate=extra_pem.read_bytes(), PrivateKey=extra_key.read_bytes())["CertificateArn"]
        paginator = self.acm.get_paginator("list_certificates")
        pages = list(paginator.paginate(PaginationConfig={"PageSize": 1}))
        listed = [c["CertificateArn"] for p in pages for c in p["CertificateSummaryList"]]
        self.assertTrue(all(len(p["CertificateSummaryList"]) <= 1 for p in pages), pages)
        self.assertIn(self.ca_arn, listed)
        self.assertIn(extra_arn, listed)
        self.assertNotIn(ec_arn, listed)
        self.assertEqual(len(listed), len(set(listed)), "a certificate was listed twice")
        with_ec = [c["CertificateArn"] for p in paginator.paginate(Includes={"keyTypes": ["EC_prime256v1", "RSA_2048"]})
                   for c in p["CertificateSummaryList"]]
        self.assertIn(ec_arn, with_ec)
        self.assertIn(self.ca_arn, with_ec)

    def test_stale_token_raises_invalid_token_exception(self):
        current = self.nf.describe_rule_group(RuleGroupArn=self.rule_group_arn)["UpdateToken"]
        updated = self.nf.update_rule_group(RuleGroupArn=self.rule_group_arn, UpdateToken=current, Rules=RULES_V2)
        with self.assertRaises(self.nf.exceptions.InvalidTokenException):
            self.nf.update_rule_group(RuleGroupArn=self.rule_group_arn, UpdateToken=current, Rules=RULES)
        with self.assertRaises(self.nf.exceptions.InvalidTokenException):
            self.nf.update_rule_group(RuleGroupArn=self.rule_group_arn, UpdateToken=self.first_token, Rules=RULES)
        after = self.nf.describe_rule_group(RuleGroupArn=self.rule_group_arn)
        self.assertEqual(after["UpdateToken"], updated["UpdateToken"])

    def test_unknown_resources_raise_resource_not_found(self):
        with self.assertRaises(self.nf.exceptions.ResourceNotFoundException):
            self.nf.describe_firewall(FirewallName="no-such-firewall")
        with self.assertRaises(self.nf.exceptions.ResourceNotFoundException):
            self.nf.describe_rule_group(RuleGroupName="no-such-group", Type="STATEFUL")
        with self.assertRaises(self.acm.exceptions.ResourceNotFoundException):
            self.acm.describe_certificate(CertificateArn=MISSING_CERT)
        with self.assertRaises(self.acm.exceptions.ResourceNotFoundException):
            self.acm.get_certificate(CertificateArn=MISSING_CERT)

    def test_invalid_requests_raise_invalid_request_exception(self):
        with self.assertRaises(self.nf.exceptions.InvalidRequestException) as caught:
            self.nf.create_rule_group(RuleGroupName="broken", Type="STATEFUL", Capacity=10,
                                      Rules='drop tcp any any -> any 22 (msg:"no sid";)')
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidRequestException")
        self.assertTrue(caught.exception.response["Error"]["Message"])
        with self.assertRaises(self.nf.exceptions.InvalidRequestException):
            self.nf.update_logging_configuration(FirewallArn=self.firewall_arn,
                                                 LoggingConfiguration=s3_logging("ALERT", "FLOW"))
        names = {g["Name"] for g in self.nf.list_rule_groups()["RuleGroups"]}
        self.assertNotIn("broken", names)

    def test_in_use_certificate_raises_resource_in_use(self):
        with self.assertRaises(self.acm.exceptions.ResourceInUseException) as caught:
            self.acm.delete_certificate(CertificateArn=self.ca_arn)
        self.assertEqual(caught.exception.response["Error"]["Code"], "ResourceInUseException")
        self.assertTrue(caught.exception.response["Error"]["Message"], "ACM's lowercase message was not read")
        self.assertEqual(self.acm.describe_certificate(CertificateArn=self.ca_arn)["Certificate"]["Status"], "ISSUED")

    def test_tags_and_metadata(self):
        self.nf.tag_resource(ResourceArn=self.firewall_arn, Tags=[{"Key": "env", "Value": "lab"}])
        tags = self.nf.list_tags_for_resource(ResourceArn=self.firewall_arn)["Tags"]
        self.assertEqual(tags, [{"Key": "env", "Value": "lab"}])
        self.nf.untag_resource(ResourceArn=self.firewall_arn, TagKeys=["env"])
        self.assertEqual(self.nf.list_tags_for_resource(ResourceArn=self.firewall_arn).get("Tags", []), [])
        meta = self.nf.describe_rule_group_metadata(RuleGroupArn=self.rule_group_arn)
        self.assertEqual((meta["RuleGroupName"], meta["Capacity"], meta["Type"]), ("egress-rules", 10, "STATEFUL"))
        self.acm.add_tags_to_certificate(CertificateArn=self.ca_arn, Tags=[{"Key": "team", "Value": "net"}])
        self.assertEqual(self.acm.list_tags_for_certificate(CertificateArn=self.ca_arn)["Tags"],
                         [{"Key": "team", "Value": "net"}])
        self.acm.remove_tags_from_certificate(CertificateArn=self.ca_arn, Tags=[{"Key": "team"}])
        self.assertEqual(self.acm.list_tags_for_certificate(CertificateArn=self.ca_arn).get("Tags", []), [])

    def test_firewall_protection_and_description(self):
        token = self.nf.describe_firewall(FirewallArn=self.firewall_arn)["UpdateToken"]
        out = self.nf.update_firewall_delete_protection(FirewallArn=self.firewall_arn, DeleteProtection=True,
                                                        UpdateToken=token)
        self.assertTrue(out["DeleteProtection"])
        with self.assertRaises(self.nf.exceptions.InvalidTokenException):
            self.nf.update_firewall_policy_change_protection(FirewallArn=self.firewall_arn,
                                                             FirewallPolicyChangeProtection=True, UpdateToken=token)
        self.nf.update_firewall_delete_protection(FirewallArn=self.firewall_arn, DeleteProtection=False)
        self.nf.update_firewall_description(FirewallArn=self.firewall_arn, Description="from boto3")
        self.assertEqual(self.nf.describe_firewall(FirewallArn=self.firewall_arn)["Firewall"]["Description"], "from boto3")

    def test_get_certificate_returns_the_pem(self):
        out = self.acm.get_certificate(CertificateArn=self.ca_arn)
        self.assertEqual(certs.pem_body(out["Certificate"]), certs.pem_body(self.ca_pem.read_text()))

    def test_unsupported_operations_are_named(self):
        for operation, acm in (("NetworkFirewall_20201112.StartFlowCapture", False),
                               ("NetworkFirewall_20201112.FlyToTheMoon", False),
                               ("CertificateManager.RequestTeleport", True)):
            with self.subTest(operation=operation):
                payload = {"FirewallArn": self.firewall_arn, "FlowFilters": []} if not acm else {}
                reply = send_signed(self.server.port, sign_target(
                    self.server.port, self.key, operation, payload, region=self.server.region, acm=acm))
                self.assertEqual(reply.status, 400, str(reply))
                body = reply.json()
                code = body["__type"]
                self.assertEqual(reply.header("X-Amzn-ErrorType"), code, str(reply))
                if not acm:
                    self.assertEqual(code, "UnsupportedOperationException", str(reply))
                message = body.get("Message") if not acm else body.get("message")
                self.assertIsNotNone(message, f"error message member ({'message' if acm else 'Message'}): {reply}")
                self.assertIn(operation.split(".", 1)[1], message, str(reply))
                self.assertTrue(reply.header("x-amzn-RequestId"), str(reply))

    def test_client_request_ids_are_unique(self):
        ids = {self.nf.list_firewalls()["ResponseMetadata"]["RequestId"] for _ in range(3)}
        self.assertEqual(len(ids), 3)
        uuid.UUID(ids.pop())


if __name__ == "__main__":
    unittest.main()
