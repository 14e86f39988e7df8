"""The egress TLS inspection walkthrough end to end with the aws CLI (`aws --endpoint-url`):
ACM import, a rule group, a TLS inspection configuration, a policy, a firewall enforced by a lab
worker until IN_SYNC, then the other operations of the AWS front.

The steps are numbered and run in order on one server; the lab needs root. A refused command
must exit with the CLI's service-error status (255 in aws CLI v1, which `make deps` installs;
254 is v2's) and name the error code on stderr.
Run: python3 -m unittest discover -s Tests/aws -p 'test_cli_walkthrough.py' -v
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import unittest
from pathlib import Path

import certs
from clients import SERVICE_ERROR_EXIT, AwsCli
from lab import Lab, client_curl, serve_http
from server import RampartServer
from walkthrough import (EXTRA_RULES, HOME_NET, RULES, RULES_V2, SUBNET_ID, VPC_ID, firewall_policy, s3_logging,
                         tls_configuration)

FIREWALL = "egress"
SYNC_TIMEOUT = 30


class CliWalkthroughTests(unittest.TestCase):
    server: RampartServer
    aws: AwsCli
    lab: Lab | None = None
    state: dict = {}

    @classmethod
    def setUpClass(cls):
        cls.server = RampartServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls.tmp = Path(tempfile.mkdtemp(prefix="rampart-aws-cli-"))
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.aws = AwsCli(cls.server.endpoint, cls.server.create_access_key(), cls.server.region)
        cls.state = {}

    @classmethod
    def tearDownClass(cls):
        if cls.lab is not None:
            cls.lab.down()  # before the server stops (class cleanups run after this)

    # helpers ---------------------------------------------------------------------------------
    def need(self, *names: str):
        missing = [n for n in names if n not in self.state]
        if missing:
            self.fail(f"an earlier step did not produce {missing}")
        return [self.state[n] for n in names]

    def nf(self, *args: str) -> dict:
        return self.aws.ok("network-firewall", *args)

    def acm(self, *args: str) -> dict:
        return self.aws.ok("acm", *args)

    def assert_cli_error(self, code: str, *args: str):
        result = self.aws.run(*args)
        self.assertEqual(result.returncode, SERVICE_ERROR_EXIT,
                         f"expected exit {SERVICE_ERROR_EXIT} with {code}:\n{result}")
        self.assertIn(f"An error occurred ({code})", result.stderr, str(result))
        return result

    def wait_in_sync(self) -> dict:
        deadline = time.monotonic() + SYNC_TIMEOUT
        last = {}
        while time.monotonic() < deadline:
            last = self.nf("describe-firewall", "--firewall-name", FIREWALL)
            if last["FirewallStatus"]["ConfigurationSyncStateSummary"] == "IN_SYNC":
                return last
            time.sleep(1)
        self.fail(f"firewall not IN_SYNC within {SYNC_TIMEOUT} s: {json.dumps(last.get('FirewallStatus'))}")

    # the walkthrough -------------------------------------------------------------------------
    def test_01_import_ca(self):
        ca_pem, ca_key = certs.rsa_ca(self.tmp)
        out = self.acm("import-certificate", "--certificate", f"fileb://{ca_pem}", "--private-key", f"fileb://{ca_key}")
        arn = out["CertificateArn"]
        self.assertRegex(arn, r"^arn:aws:acm:us-east-1:000000000000:certificate/[0-9a-f-]{36}$")
        detail = self.acm("describe-certificate", "--certificate-arn", arn)["Certificate"]
        self.assertEqual(detail["CertificateArn"], arn)
        self.assertEqual(detail["Status"], "ISSUED")
        self.assertEqual(detail["Type"], "IMPORTED")
        self.state.update(ca_arn=arn, ca_pem=ca_pem)

    def test_02_create_rule_group(self):
        out = self.nf("create-rule-group", "--rule-group-name", "egress-rules", "--type", "STATEFUL",
                      "--capacity", "10", "--rules", RULES, "--description", "walkthrough rules")
        response = out["RuleGroupResponse"]
        self.assertEqual(response["RuleGroupName"], "egress-rules")
        self.assertEqual(response["Type"], "STATEFUL")
        self.assertEqual(response["Capacity"], 10)
        self.assertRegex(response["RuleGroupArn"], r":stateful-rulegroup/egress-rules$")
        described = self.nf("describe-rule-group", "--rule-group-arn", response["RuleGroupArn"])
        self.assertEqual(described["RuleGroup"]["RulesSource"]["RulesString"].strip(), RULES)
        self.state.update(rule_group_arn=response["RuleGroupArn"], rule_group_token=out["UpdateToken"])

    def test_03_create_tls_inspection_configuration(self):
        (ca_arn,) = self.need("ca_arn")
        out = self.nf("create-tls-inspection-configuration", "--tls-inspection-configuration-name", "egress-tls",
                      "--tls-inspection-configuration", json.dumps(tls_configuration(ca_arn)))
        response = out["TLSInspectionConfigurationResponse"]
        self.assertRegex(response["TLSInspectionConfigurationArn"], r":tls-configuration/egress-tls$")
        described = self.nf("describe-tls-inspection-configuration", "--tls-inspection-configuration-arn",
                            response["TLSInspectionConfigurationArn"])
        config = described["TLSInspectionConfiguration"]["ServerCertificateConfigurations"][0]
        self.assertEqual(config["CertificateAuthorityArn"], ca_arn)
        self.assertEqual(config["CheckCertificateRevocationStatus"],
                         {"RevokedStatusAction": "REJECT", "UnknownStatusAction": "REJECT"})
        self.assertEqual(config["Scopes"][0]["DestinationPorts"], [{"FromPort": 443, "ToPort": 443}])
        self.assertEqual(config["Scopes"][0]["Protocols"], [6])
        self.state.update(tls_arn=response["TLSInspectionConfigurationArn"])

    def test_04_create_firewall_policy(self):
        rule_group_arn, tls_arn = self.need("rule_group_arn", "tls_arn")
        out = self.nf("create-firewall-policy", "--firewall-policy-name", "egress-policy",
                      "--firewall-policy", json.dumps(firewall_policy(rule_group_arn, tls_arn)))
        arn = out["FirewallPolicyResponse"]["FirewallPolicyArn"]
        policy = self.nf("describe-firewall-policy", "--firewall-policy-arn", arn)["FirewallPolicy"]
        self.assertEqual(policy["TLSInspectionConfigurationArn"], tls_arn)
        self.assertTrue(policy["EnableTLSSessionHolding"])
        self.assertEqual(policy["StatelessDefaultActions"], ["aws:forward_to_sfe"])
        self.assertEqual(policy["PolicyVariables"]["RuleVariables"]["HOME_NET"]["Definition"], [HOME_NET])
        self.assertEqual([r["ResourceArn"] for r in policy["StatefulRuleGroupReferences"]], [rule_group_arn])
        self.state.update(policy_arn=arn)

    def test_05_create_firewall(self):
        (policy_arn,) = self.need("policy_arn")
        out = self.nf("create-firewall", "--firewall-name", FIREWALL, "--firewall-policy-arn", policy_arn,
                      "--vpc-id", VPC_ID, "--subnet-mappings", f"SubnetId={SUBNET_ID},IPAddressType=IPV4",
                      "--no-delete-protection", "--description", "egress inspection")
        self.assertEqual(out["Firewall"]["FirewallName"], FIREWALL)
        firewall = self.nf("describe-firewall", "--firewall-name", FIREWALL)["Firewall"]
        self.assertEqual(firewall["VpcId"], VPC_ID)
        self.assertEqual([m["SubnetId"] for m in firewall["SubnetMappings"]], [SUBNET_ID])
        self.assertEqual(firewall["FirewallPolicyArn"], policy_arn)
        self.state.update(firewall_arn=out["Firewall"]["FirewallArn"])

    def test_06_lab_worker_brings_firewall_in_sync(self):
        self.need("firewall_arn")
        type(self).lab = Lab(self.server.control_socket, FIREWALL, self.server.state_dir / "lab")
        self.lab.up()
        status = self.wait_in_sync()["FirewallStatus"]
        self.assertEqual(status["ConfigurationSyncStateSummary"], "IN_SYNC")
        self.state.update(in_sync=True)

    def test_06b_the_worker_enforces_the_rules(self):
        self.need("in_sync")
        www = self.tmp / "www"
        www.mkdir(exist_ok=True)
        (www / "index.html").write_text("hello from the lab server\n")
        for port in (80, 8080):
            server = serve_http(self.lab, port, www)
            self.addCleanup(server.wait, 10)
            self.addCleanup(server.kill)
        self.assertEqual(client_curl(self.lab, 80), 0, "port 80 passes")
        self.assertEqual(client_curl(self.lab, 8080), 7, "port 8080 is rejected (a reset, not a timeout)")

    def test_07_stale_update_token_is_refused(self):
        arn, first_token = self.need("rule_group_arn", "rule_group_token")
        updated = self.nf("update-rule-group", "--rule-group-arn", arn, "--update-token", first_token, "--rules", RULES_V2)
        self.assertNotEqual(updated["UpdateToken"], first_token)
        self.assert_cli_error("InvalidTokenException", "network-firewall", "update-rule-group", "--rule-group-arn", arn,
                              "--update-token", first_token, "--rules", RULES)
        described = self.nf("describe-rule-group", "--rule-group-arn", arn)
        self.assertEqual(described["RuleGroup"]["RulesSource"]["RulesString"].strip(), RULES_V2)
        self.assertEqual(described["UpdateToken"], updated["UpdateToken"])
        if self.state.get("in_sync"):
            self.wait_in_sync()  # the worker picks the change up

    def test_08_list_rule_groups_paginates(self):
        self.need("rule_group_arn")
        self.nf("create-rule-group", "--rule-group-name", "egress-extra", "--type", "STATEFUL", "--capacity", "5",
                "--rules", EXTRA_RULES)
        first = self.nf("list-rule-groups", "--max-items", "1", "--page-size", "1")
        self.assertEqual(len(first["RuleGroups"]), 1, first)
        self.assertIn("NextToken", first)
        second = self.nf("list-rule-groups", "--max-items", "1", "--page-size", "1", "--starting-token", first["NextToken"])
        self.assertEqual(len(second["RuleGroups"]), 1, second)
        names = {first["RuleGroups"][0]["Name"], second["RuleGroups"][0]["Name"]}
        self.assertEqual(names, {"egress-rules", "egress-extra"})
        everything = self.nf("list-rule-groups")
        self.assertEqual({g["Name"] for g in everything["RuleGroups"]}, names)
        self.assertNotIn("NextToken", everything)

    def test_09_tags(self):
        (arn,) = self.need("rule_group_arn")
        self.nf("tag-resource", "--resource-arn", arn, "--tags", "Key=env,Value=lab", "Key=team,Value=net")
        tags = self.nf("list-tags-for-resource", "--resource-arn", arn)["Tags"]
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in tags), [("env", "lab"), ("team", "net")])
        self.nf("untag-resource", "--resource-arn", arn, "--tag-keys", "env")
        tags = self.nf("list-tags-for-resource", "--resource-arn", arn)["Tags"]
        self.assertEqual([(t["Key"], t["Value"]) for t in tags], [("team", "net")])
        described = self.nf("describe-rule-group", "--rule-group-arn", arn)["RuleGroupResponse"]
        self.assertEqual([(t["Key"], t["Value"]) for t in described["Tags"]], [("team", "net")])

    def test_10_update_firewall_description(self):
        self.need("firewall_arn")
        out = self.nf("update-firewall-description", "--firewall-name", FIREWALL, "--description", "new words")
        self.assertEqual(out["Description"], "new words")
        firewall = self.nf("describe-firewall", "--firewall-name", FIREWALL)["Firewall"]
        self.assertEqual(firewall["Description"], "new words")

    def test_11_logging_one_change_per_call(self):
        (arn,) = self.need("firewall_arn")
        alert = s3_logging("ALERT")
        out = self.nf("update-logging-configuration", "--firewall-arn", arn, "--logging-configuration", json.dumps(alert))
        self.assertEqual(out["LoggingConfiguration"], alert)
        self.assertEqual(self.nf("describe-logging-configuration", "--firewall-arn", arn)["LoggingConfiguration"], alert)
        # ALERT → ALERT + FLOW + TLS is two changes at once
        self.assert_cli_error("InvalidRequestException", "network-firewall", "update-logging-configuration",
                              "--firewall-arn", arn, "--logging-configuration",
                              json.dumps(s3_logging("ALERT", "FLOW", "TLS")))
        self.assertEqual(self.nf("describe-logging-configuration", "--firewall-arn", arn)["LoggingConfiguration"], alert)
        both = s3_logging("ALERT", "FLOW")
        self.nf("update-logging-configuration", "--firewall-arn", arn, "--logging-configuration", json.dumps(both))
        described = self.nf("describe-logging-configuration", "--firewall-arn", arn)["LoggingConfiguration"]
        self.assertEqual(sorted(c["LogType"] for c in described["LogDestinationConfigs"]), ["ALERT", "FLOW"])

    def test_12_describe_rule_group_metadata(self):
        (arn,) = self.need("rule_group_arn")
        out = self.nf("describe-rule-group-metadata", "--rule-group-arn", arn)
        self.assertEqual(out["RuleGroupArn"], arn)
        self.assertEqual(out["RuleGroupName"], "egress-rules")
        self.assertEqual(out["Type"], "STATEFUL")
        self.assertEqual(out["Capacity"], 10)
        self.assertEqual(out["Description"], "walkthrough rules")

    def test_13_list_certificates_key_type_filter(self):
        (ca_arn,) = self.need("ca_arn")
        ec_pem, ec_key = certs.ec_server_cert(self.tmp)
        ec_arn = self.acm("import-certificate", "--certificate", f"fileb://{ec_pem}",
                          "--private-key", f"fileb://{ec_key}")["CertificateArn"]
        listed = {c["CertificateArn"] for c in self.acm("list-certificates")["CertificateSummaryList"]}
        self.assertIn(ca_arn, listed)
        self.assertNotIn(ec_arn, listed, "an EC P-256 certificate is not listed without Includes.keyTypes")
        with_ec = self.acm("list-certificates", "--includes", "keyTypes=EC_prime256v1")["CertificateSummaryList"]
        self.assertIn(ec_arn, {c["CertificateArn"] for c in with_ec})
        self.assertNotIn(ca_arn, {c["CertificateArn"] for c in with_ec})

    def test_14_certificate_tags(self):
        (ca_arn,) = self.need("ca_arn")
        self.acm("add-tags-to-certificate", "--certificate-arn", ca_arn, "--tags", "Key=team,Value=net", "Key=flag")
        tags = self.acm("list-tags-for-certificate", "--certificate-arn", ca_arn)["Tags"]
        self.assertEqual(sorted(tags, key=lambda t: t["Key"]), [{"Key": "flag"}, {"Key": "team", "Value": "net"}])
        self.acm("remove-tags-from-certificate", "--certificate-arn", ca_arn, "--tags", "Key=team,Value=net")
        self.assertEqual(self.acm("list-tags-for-certificate", "--certificate-arn", ca_arn)["Tags"], [{"Key": "flag"}])

    def test_15_reimport_keeps_the_arn(self):
        pem, key = certs.rsa_ca(self.tmp, "reimport", "reimport.rampart.test")
        arn = self.acm("import-certificate", "--certificate", f"fileb://{pem}", "--private-key", f"fileb://{key}")["CertificateArn"]
        before = self.acm("describe-certificate", "--certificate-arn", arn)["Certificate"]
        pem2 = certs.resign(self.tmp, key, "reimport2", "reimport.rampart.test")
        again = self.acm("import-certificate", "--certificate-arn", arn, "--certificate", f"fileb://{pem2}",
                         "--private-key", f"fileb://{key}")
        self.assertEqual(again["CertificateArn"], arn)
        after = self.acm("describe-certificate", "--certificate-arn", arn)["Certificate"]
        self.assertNotEqual(after["Serial"], before["Serial"])
        served = self.acm("get-certificate", "--certificate-arn", arn)["Certificate"]
        self.assertEqual(certs.pem_body(served), certs.pem_body(pem2.read_text()))

    def test_16_get_certificate(self):
        ca_arn, ca_pem = self.need("ca_arn", "ca_pem")
        out = self.acm("get-certificate", "--certificate-arn", ca_arn)
        self.assertEqual(certs.pem_body(out["Certificate"]), certs.pem_body(ca_pem.read_text()))

    def test_17_in_use_ca_cannot_be_deleted(self):
        ca_arn, tls_arn = self.need("ca_arn", "tls_arn")
        self.assertIn(tls_arn, self.acm("describe-certificate", "--certificate-arn", ca_arn)["Certificate"]["InUseBy"])
        self.assert_cli_error("ResourceInUseException", "acm", "delete-certificate", "--certificate-arn", ca_arn)
        self.assertEqual(self.acm("describe-certificate", "--certificate-arn", ca_arn)["Certificate"]["Status"], "ISSUED")

    def test_18_unknown_resources(self):
        self.assert_cli_error("ResourceNotFoundException", "network-firewall", "describe-firewall",
                              "--firewall-name", "no-such-firewall")
        self.assert_cli_error("ResourceNotFoundException", "acm", "describe-certificate", "--certificate-arn",
                              "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-4000-8000-000000000000")


if __name__ == "__main__":
    unittest.main()
