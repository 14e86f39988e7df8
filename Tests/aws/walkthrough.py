"""The documents of the egress TLS inspection walkthrough, shared by the aws CLI and boto3 tests."""

from __future__ import annotations

VPC_ID = "vpc-0123abcd"
SUBNET_ID = "subnet-0123abcd"
HOME_NET = "198.18.0.0/24"

RULES = "\n".join([
    'reject tcp $HOME_NET any -> any 8080 (msg:"walkthrough: 8080 is rejected"; sid:1001; rev:1;)',
    'alert tls $HOME_NET any -> any 443 (msg:"walkthrough: tls"; tls.sni; content:"example.com"; sid:1002; rev:1;)',
])
RULES_V2 = "\n".join([
    'drop tcp $HOME_NET any -> any 8080 (msg:"walkthrough: 8080 is dropped"; sid:1001; rev:2;)',
    'alert tls $HOME_NET any -> any 443 (msg:"walkthrough: tls"; tls.sni; content:"example.com"; sid:1002; rev:1;)',
])
EXTRA_RULES = 'pass tcp $HOME_NET any -> any 80 (msg:"walkthrough: web"; sid:2001; rev:1;)'


def tls_configuration(ca_arn: str) -> dict:
    """Outbound inspection with the imported CA: any source, destination port 443, TCP; revoked
    and unknown server certificates are rejected."""
    return {"ServerCertificateConfigurations": [{
        "Scopes": [{
            "SourcePorts": [{"FromPort": 0, "ToPort": 65535}],
            "DestinationPorts": [{"FromPort": 443, "ToPort": 443}],
            "Protocols": [6],
        }],
        "CertificateAuthorityArn": ca_arn,
        "CheckCertificateRevocationStatus": {"RevokedStatusAction": "REJECT", "UnknownStatusAction": "REJECT"},
    }]}


def firewall_policy(rule_group_arn: str, tls_arn: str) -> dict:
    return {
        "StatelessDefaultActions": ["aws:forward_to_sfe"],
        "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"],
        "StatefulRuleGroupReferences": [{"ResourceArn": rule_group_arn}],
        "TLSInspectionConfigurationArn": tls_arn,
        "EnableTLSSessionHolding": True,
        "PolicyVariables": {"RuleVariables": {"HOME_NET": {"Definition": [HOME_NET]}}},
    }


def s3_logging(*log_types: str) -> dict:
    return {"LogDestinationConfigs": [
        {"LogType": t, "LogDestinationType": "S3", "LogDestination": {"bucketName": "rampart-logs", "prefix": t.lower()}}
        for t in log_types]}
