#!/usr/bin/env python3
"""Checks openapi.yaml against the route list, the Swift model and sample responses.

Run from anywhere: `python3 Tests/openapi/check_openapi.py [path/to/openapi.yaml]`.
Needs PyYAML, jsonschema (with `referencing`) and openapi-spec-validator; uses `node`, when
present, to check that every pattern is a valid ECMA-262 regular expression with the `u` flag.

What it checks:
  1. the document is valid OpenAPI 3.1 (openapi-spec-validator);
  2. the (method, path) pairs are exactly the Rampart routes;
  3. every operation has an operationId (unique) and a summary; every /v1 operation documents
     400, 401, 403, 413 and 500, every /v1 operation with a body 415, and every error response
     uses ErrorResponse; bearer auth or SigV4 is the global security, /healthz opts out, the
     access-key routes take the bearer token only; POST / (the AWS JSON front) takes SigV4 only,
     has awsJson 1.0 and 1.1 bodies and documents 400, 403 and 500 with AwsErrorResponse (the
     Network Firewall error body, or ACM's with lowercase `message`) and X-Amzn-ErrorType;
  4. every `pattern` compiles in Python and in ECMA-262 (node);
  5. every Swift struct of Sources/Shared/{Model,Operations} that has a schema of the same name
     has exactly its stored properties, `required` = the non-optional ones, with matching JSON
     types; response schemas never set additionalProperties: false;
  6. sample responses, shaped as Swift's JSONEncoder writes them, validate against the schemas
     of their operations, and a few invalid ones do not.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "openapi.yaml"
SWIFT_DIRS = [ROOT / "Sources/Shared/Model", ROOT / "Sources/Shared/Operations"]

EXPECTED_ROUTES = {
    ("get", "/healthz"),
    ("post", "/v1/certificates"),
    ("get", "/v1/certificates"),
    ("get", "/v1/certificates/{id}"),
    ("get", "/v1/certificates/{id}/pem"),
    ("delete", "/v1/certificates/{id}"),
    ("post", "/v1/rule-groups"),
    ("get", "/v1/rule-groups"),
    ("get", "/v1/rule-groups/{type}/{name}"),
    ("put", "/v1/rule-groups/{type}/{name}"),
    ("delete", "/v1/rule-groups/{type}/{name}"),
    ("post", "/v1/firewall-policies"),
    ("get", "/v1/firewall-policies"),
    ("get", "/v1/firewall-policies/{name}"),
    ("put", "/v1/firewall-policies/{name}"),
    ("delete", "/v1/firewall-policies/{name}"),
    ("post", "/v1/tls-inspection-configurations"),
    ("get", "/v1/tls-inspection-configurations"),
    ("get", "/v1/tls-inspection-configurations/{name}"),
    ("put", "/v1/tls-inspection-configurations/{name}"),
    ("delete", "/v1/tls-inspection-configurations/{name}"),
    ("post", "/v1/firewalls"),
    ("get", "/v1/firewalls"),
    ("get", "/v1/firewalls/{name}"),
    ("delete", "/v1/firewalls/{name}"),
    ("put", "/v1/firewalls/{name}/policy"),
    ("put", "/v1/firewalls/{name}/delete-protection"),
    ("put", "/v1/firewalls/{name}/policy-change-protection"),
    ("get", "/v1/workers"),
    ("post", "/v1/access-keys"),
    ("get", "/v1/access-keys"),
    ("delete", "/v1/access-keys/{id}"),
    ("post", "/"),
}

# operationId → (success status, request schema or None, response schema or None)
EXPECTED_OPERATIONS = {
    "GetHealth": ("200", None, "HealthStatus"),
    "ImportCertificate": ("201", "ImportCertificateRequest", "ImportCertificateOutput"),
    "ListCertificates": ("200", None, "ListCertificatesOutput"),
    "DescribeCertificate": ("200", None, "DescribeCertificateOutput"),
    "GetCertificate": ("200", None, "GetCertificateOutput"),
    "DeleteCertificate": ("204", None, None),
    "CreateRuleGroup": ("201", "CreateRuleGroupRequest", "RuleGroupOutput"),
    "ListRuleGroups": ("200", None, "ListRuleGroupsOutput"),
    "DescribeRuleGroup": ("200", None, "RuleGroupOutput"),
    "UpdateRuleGroup": ("200", "UpdateRuleGroupRequest", "RuleGroupOutput"),
    "DeleteRuleGroup": ("200", None, "DeleteRuleGroupOutput"),
    "CreateFirewallPolicy": ("201", "CreateFirewallPolicyRequest", "FirewallPolicyOutput"),
    "ListFirewallPolicies": ("200", None, "ListFirewallPoliciesOutput"),
    "DescribeFirewallPolicy": ("200", None, "FirewallPolicyOutput"),
    "UpdateFirewallPolicy": ("200", "UpdateFirewallPolicyRequest", "FirewallPolicyOutput"),
    "DeleteFirewallPolicy": ("200", None, "DeleteFirewallPolicyOutput"),
    "CreateTLSInspectionConfiguration": (
        "201", "CreateTLSInspectionConfigurationRequest", "TLSInspectionConfigurationOutput"),
    "ListTLSInspectionConfigurations": ("200", None, "ListTLSInspectionConfigurationsOutput"),
    "DescribeTLSInspectionConfiguration": ("200", None, "TLSInspectionConfigurationOutput"),
    "UpdateTLSInspectionConfiguration": (
        "200", "UpdateTLSInspectionConfigurationRequest", "TLSInspectionConfigurationOutput"),
    "DeleteTLSInspectionConfiguration": ("200", None, "DeleteTLSInspectionConfigurationOutput"),
    "CreateFirewall": ("201", "CreateFirewallRequest", "FirewallOutput"),
    "ListFirewalls": ("200", None, "ListFirewallsOutput"),
    "DescribeFirewall": ("200", None, "FirewallOutput"),
    "DeleteFirewall": ("200", None, "FirewallOutput"),
    "AssociateFirewallPolicy": ("200", "AssociateFirewallPolicyRequest", "AssociateFirewallPolicyOutput"),
    "UpdateFirewallDeleteProtection": (
        "200", "UpdateFirewallDeleteProtectionRequest", "UpdateFirewallDeleteProtectionOutput"),
    "UpdateFirewallPolicyChangeProtection": (
        "200", "UpdateFirewallPolicyChangeProtectionRequest", "UpdateFirewallPolicyChangeProtectionOutput"),
    "ListWorkers": ("200", None, "ListWorkersOutput"),
    "CreateAccessKey": ("201", None, "CreateAccessKeyOutput"),
    "ListAccessKeys": ("200", None, "ListAccessKeysOutput"),
    "DeleteAccessKey": ("204", None, None),
    "AwsJsonProtocol": ("200", "AwsJsonRequest", "AwsJsonOutput"),
}

# The AWS JSON front: its media types, and the error body schema each one uses (the body's
# shape follows the target's service, not the content type, so both use AwsErrorResponse).
AWS_FRONT_PATH = "/"
AWS_ERROR_SCHEMAS = {
    "application/x-amz-json-1.0": "AwsErrorResponse",
    "application/x-amz-json-1.1": "AwsErrorResponse",
}
BEARER_ONLY_PREFIX = "/v1/access-keys"

ERROR_TYPES = {
    "InvalidRequestException", "InvalidTokenException", "InvalidOperationException",
    "ResourceNotFoundException", "LimitExceededException", "InsufficientCapacityException",
    "ThrottlingException", "InternalServerError", "UnsupportedOperationException",
    "ResourceInUseException", "ValidationException", "UnrecognizedClientException",
    "MissingAuthenticationTokenException", "IncompleteSignatureException", "InvalidSignatureException",
}

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}

failures: list[str] = []


def fail(message: str) -> None:
    failures.append(message)


def load_spec() -> dict:
    with open(SPEC_PATH) as f:
        return yaml.safe_load(f)


def deref(spec: dict, node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        target = spec
        for part in ref[2:].split("/"):
            target = target[part]
        node = target
    return node


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op, item.get("parameters", [])


# 2 ---------------------------------------------------------------------------------------------
def check_routes(spec: dict) -> None:
    actual = {(m, p) for p, m, _, _ in operations(spec)}
    for missing in sorted(EXPECTED_ROUTES - actual):
        fail(f"route missing: {missing[0].upper()} {missing[1]}")
    for extra in sorted(actual - EXPECTED_ROUTES):
        fail(f"route not in the list: {extra[0].upper()} {extra[1]}")


# 3 ---------------------------------------------------------------------------------------------
def schema_ref_name(node: dict | None) -> str | None:
    if not node or "$ref" not in node:
        return None
    return node["$ref"].rsplit("/", 1)[-1]


def check_operations(spec: dict) -> None:
    seen: dict[str, str] = {}
    if spec.get("security") != [{"bearerAuth": []}, {"sigV4": []}]:
        fail("global security must be [{bearerAuth: []}, {sigV4: []}]")
    scheme = spec["components"]["securitySchemes"].get("bearerAuth", {})
    if scheme.get("type") != "http" or scheme.get("scheme") != "bearer":
        fail("bearerAuth must be an HTTP bearer scheme")
    sigv4 = spec["components"]["securitySchemes"].get("sigV4", {})
    if (sigv4.get("type"), sigv4.get("in"), sigv4.get("name")) != ("apiKey", "header", "Authorization"):
        fail("sigV4 must be an apiKey scheme on the Authorization header")
    error_schema = spec["components"]["schemas"]["ErrorResponse"]
    if set(error_schema["properties"]["__type"]["enum"]) != ERROR_TYPES:
        fail("ErrorResponse.__type enum differs from the agreed error list")
    if set(error_schema.get("required", [])) != {"__type", "Message"}:
        fail("ErrorResponse must require __type and Message")

    for path, method, op, path_params in operations(spec):
        where = f"{method.upper()} {path}"
        op_id = op.get("operationId")
        if not op_id:
            fail(f"{where}: no operationId")
            continue
        if op_id in seen:
            fail(f"{where}: operationId {op_id} also used by {seen[op_id]}")
        seen[op_id] = where
        if not op.get("summary"):
            fail(f"{where}: no summary")
        responses = {code: deref(spec, r) for code, r in op.get("responses", {}).items()}
        expected = EXPECTED_OPERATIONS.get(op_id)
        if expected is None:
            fail(f"{where}: unexpected operationId {op_id}")
            continue
        success, request_schema, response_schema = expected
        aws_front = path == AWS_FRONT_PATH
        media_types = sorted(AWS_ERROR_SCHEMAS) if aws_front else ["application/json"]

        # request body
        body = op.get("requestBody")
        if request_schema is None:
            if body is not None:
                fail(f"{where}: has a request body")
        else:
            body = deref(spec, body or {})
            content = body.get("content", {})
            if set(content) != set(media_types):
                fail(f"{where}: request media types {sorted(content)}, expected {sorted(media_types)}")
            for media_type in media_types:
                got = schema_ref_name(content.get(media_type, {}).get("schema"))
                if got != request_schema:
                    fail(f"{where}: {media_type} request schema {got}, expected {request_schema}")
            if not body.get("required"):
                fail(f"{where}: request body not required")

        # success response
        if success not in responses:
            fail(f"{where}: no {success} response")
        else:
            content = responses[success].get("content")
            if response_schema is None:
                if content:
                    fail(f"{where}: {success} must have no body")
            else:
                for media_type in media_types:
                    got = schema_ref_name((content or {}).get(media_type, {}).get("schema"))
                    if got != response_schema:
                        fail(f"{where}: {success} {media_type} schema {got}, expected {response_schema}")

        if aws_front and "x-amzn-RequestId" not in responses.get(success, {}).get("headers", {}):
            fail(f"{where}: {success} does not document the x-amzn-RequestId header")

        # security
        if path == "/healthz":
            if op.get("security") != []:
                fail(f"{where}: must opt out of auth with security: []")
        elif aws_front:
            if op.get("security") != [{"sigV4": []}]:
                fail(f"{where}: must take SigV4 only (security: [{{sigV4: []}}])")
        elif path.startswith(BEARER_ONLY_PREFIX):
            if op.get("security") != [{"bearerAuth": []}]:
                fail(f"{where}: must take the bearer token only (security: [{{bearerAuth: []}}])")
        elif "security" in op:
            fail(f"{where}: must use the global security")

        # error responses
        needed = {"500"}
        if path.startswith("/v1/"):
            needed |= {"400", "401", "403", "413"}
            if request_schema is not None:
                needed.add("415")
        if aws_front:
            needed |= {"400", "403"}
        if "{" in path and path.startswith("/v1/"):
            needed.add("404")
        for code in sorted(needed - set(responses)):
            fail(f"{where}: no {code} response")
        for code, response in responses.items():
            if not response.get("description"):
                fail(f"{where}: {code} without description")
            if code.startswith(("4", "5")):
                content = response.get("content", {})
                if aws_front:
                    if set(content) != set(AWS_ERROR_SCHEMAS):
                        fail(f"{where}: {code} media types {sorted(content)}, expected {sorted(AWS_ERROR_SCHEMAS)}")
                    for media_type, schema_name in AWS_ERROR_SCHEMAS.items():
                        got = schema_ref_name(content.get(media_type, {}).get("schema"))
                        if got != schema_name:
                            fail(f"{where}: {code} {media_type} does not use {schema_name}")
                    if "X-Amzn-ErrorType" not in response.get("headers", {}):
                        fail(f"{where}: {code} does not document the X-Amzn-ErrorType header")
                else:
                    got = schema_ref_name(content.get("application/json", {}).get("schema"))
                    if got != "ErrorResponse":
                        fail(f"{where}: {code} does not use ErrorResponse")

        # path parameters declared
        names = {deref(spec, p)["name"] for p in path_params + op.get("parameters", []) if deref(spec, p)["in"] == "path"}
        for name in re.findall(r"{(\w+)}", path):
            if name not in names:
                fail(f"{where}: path parameter {name} not declared")

    for op_id in sorted(set(EXPECTED_OPERATIONS) - set(seen)):
        fail(f"operation {op_id} missing")


# 4 ---------------------------------------------------------------------------------------------
def collect_patterns(node, out: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                out.append(value)
            else:
                collect_patterns(value, out)
    elif isinstance(node, list):
        for value in node:
            collect_patterns(value, out)


def check_patterns(spec: dict) -> None:
    patterns: list[str] = []
    collect_patterns(spec, patterns)
    for p in patterns:
        try:
            re.compile(p)
        except re.error as e:
            fail(f"pattern {p!r} does not compile in Python: {e}")
    node = shutil.which("node")
    if node is None:
        print("note: node not found; ECMA-262 pattern check skipped")
        return
    script = (
        "const ps = JSON.parse(require('fs').readFileSync(0, 'utf8')); const bad = [];"
        "for (const p of ps) { try { new RegExp(p, 'u'); } catch (e) { bad.push(p + ': ' + e.message); } }"
        "console.log(JSON.stringify(bad));"
    )
    result = subprocess.run([node, "-e", script], input=json.dumps(patterns), capture_output=True, text=True, check=True)
    for bad in json.loads(result.stdout):
        fail(f"pattern is not ECMA-262 (u flag): {bad}")


# 5 ---------------------------------------------------------------------------------------------
STRUCT_RE = re.compile(r"public struct (\w+)\b[^{]*\{")
PROP_RE = re.compile(r"^\s*public var `?(\w+)`?: ([^={\n]+?)\s*$", re.M)
SWIFT_ENUMS_RE = re.compile(r"public enum (\w+): String")


def swift_structs() -> tuple[dict[str, list[tuple[str, str]]], set[str]]:
    structs: dict[str, list[tuple[str, str]]] = {}
    enums: set[str] = set()
    for d in SWIFT_DIRS:
        for f in sorted(d.glob("*.swift")):
            text = f.read_text()
            enums.update(SWIFT_ENUMS_RE.findall(text))
            matches = list(STRUCT_RE.finditer(text))
            for i, m in enumerate(matches):
                end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
                block = text[m.end():end]
                # stored properties are declared before the first initializer or function
                cut = re.search(r"^\s*(public )?(init|func|static)\b", block, re.M)
                if cut:
                    block = block[: cut.start()]
                structs[m.group(1)] = PROP_RE.findall(block)
    return structs, enums


def json_type_of(spec: dict, schema: dict) -> str | None:
    schema = deref(spec, schema)
    t = schema.get("type")
    if t is None and "enum" in schema:
        return "string"
    return t


def swift_json_type(swift_type: str, structs: dict, enums: set[str]) -> str | None:
    t = swift_type.rstrip("?").strip()
    if t.startswith("[") and ":" in t:
        return "object"
    if t.startswith("["):
        return "array"
    return {
        "String": "string", "Int": "integer", "UInt64": "integer", "UInt16": "integer",
        "Double": "number", "Bool": "boolean",
    }.get(t) or ("string" if t in enums else "object" if t in structs else None)


def check_swift(spec: dict) -> None:
    schemas = spec["components"]["schemas"]
    structs, enums = swift_structs()
    compared = 0
    for name, props in structs.items():
        if name not in schemas:
            continue
        compared += 1
        schema = schemas[name]
        swift_names = {p for p, _ in props}
        swift_required = {p for p, t in props if not t.endswith("?")}
        schema_props = set(schema.get("properties", {}))
        if swift_names != schema_props:
            fail(f"{name}: Swift {sorted(swift_names - schema_props)} not in schema; "
                 f"schema {sorted(schema_props - swift_names)} not in Swift")
        if set(schema.get("required", [])) != swift_required:
            fail(f"{name}: required {sorted(schema.get('required', []))}, Swift non-optional {sorted(swift_required)}")
        if schema.get("additionalProperties") is False:
            fail(f"{name}: additionalProperties: false")
        for prop, swift_type in props:
            if prop not in schema.get("properties", {}):
                continue
            want = swift_json_type(swift_type, structs, enums)
            got = json_type_of(spec, schema["properties"][prop])
            if want and got != want:
                fail(f"{name}.{prop}: schema type {got}, Swift {swift_type} encodes as {want}")
    missing = sorted(n for n in structs if n not in schemas)
    print(f"compared {compared} Swift structs with their schemas; no schema for: {', '.join(missing) or '-'}")


# 6 ---------------------------------------------------------------------------------------------
UUID1 = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
UUID2 = "9b2c1a57-0d7e-4c36-a1f4-6f0e2d9b8c12"
ACCOUNT = "arn:aws:network-firewall:us-east-1:123456789012"
SL_ARN = f"{ACCOUNT}:stateless-rulegroup/edge-stateless"
SF_ARN = f"{ACCOUNT}:stateful-rulegroup/egress-domains"
POLICY_ARN = f"{ACCOUNT}:firewall-policy/main"
TLS_ARN = f"{ACCOUNT}:tls-configuration/egress-tls"
FW_ARN = f"{ACCOUNT}:firewall/lab"
CERT_ARN = f"arn:aws:acm:us-east-1:123456789012:certificate/{UUID1}"
ACCESS_KEY_ID = "AKIAQ2TB3VZ7XHR4LM5N"
AWS_OWNED = {"KeyId": "AWS_OWNED_KMS_KEY", "Type": "AWS_OWNED_KMS_KEY"}
PEM = ("-----BEGIN CERTIFICATE-----\n" + "A" * 64 + "\n" + "QUJD" * 4 + "==\n-----END CERTIFICATE-----\n")


def rule_group_response(name: str, arn: str, kind: str, status: str = "ACTIVE") -> dict:
    return {
        "RuleGroupArn": arn, "RuleGroupName": name, "RuleGroupId": UUID1, "Type": kind,
        "Capacity": 100, "RuleGroupStatus": status, "Tags": [], "ConsumedCapacity": 3,
        "NumberOfAssociations": 0, "EncryptionConfiguration": AWS_OWNED, "LastModifiedTime": 1735689600.25,
    }


STATELESS_GROUP = {
    "RulesSource": {"StatelessRulesAndCustomActions": {
        "StatelessRules": [{
            "Priority": 10,
            "RuleDefinition": {
                "Actions": ["aws:forward_to_sfe", "count"],
                "MatchAttributes": {
                    "Sources": [{"AddressDefinition": "198.18.0.0/15"}],
                    "Destinations": [{"AddressDefinition": "2001:db8::/32"}],
                    "SourcePorts": [{"FromPort": 0, "ToPort": 65535}],
                    "DestinationPorts": [{"FromPort": 443, "ToPort": 443}],
                    "Protocols": [6],
                    "TCPFlags": [{"Flags": ["SYN"], "Masks": ["SYN", "ACK"]}],
                },
            },
        }],
        "CustomActions": [{"ActionName": "count", "ActionDefinition": {
            "PublishMetricAction": {"Dimensions": [{"Value": "edge-count"}]}}}],
    }},
}

STATEFUL_GROUP = {
    "RuleVariables": {"IPSets": {"HOME_NET": {"Definition": ["198.18.0.0/24"]}},
                      "PortSets": {"HTTP_PORTS": {"Definition": ["80", "8080"]}}},
    "RulesSource": {"StatefulRules": [{
        "Action": "DROP",
        "Header": {"Protocol": "TCP", "Source": "$HOME_NET", "SourcePort": "ANY", "Direction": "FORWARD",
                   "Destination": "ANY", "DestinationPort": "$HTTP_PORTS"},
        "RuleOptions": [{"Keyword": "sid", "Settings": ["1"]}, {"Keyword": "msg", "Settings": ["\"x\""]}],
    }]},
    "StatefulRuleOptions": {"RuleOrder": "STRICT_ORDER"},
}

POLICY = {
    "StatelessRuleGroupReferences": [{"ResourceArn": SL_ARN, "Priority": 1}],
    "StatelessDefaultActions": ["aws:forward_to_sfe"],
    "StatelessFragmentDefaultActions": ["aws:drop"],
    "StatefulRuleGroupReferences": [{"ResourceArn": SF_ARN, "Priority": 5}],
    "StatefulDefaultActions": ["aws:drop_established"],
    "StatefulEngineOptions": {"RuleOrder": "STRICT_ORDER", "StreamExceptionPolicy": "REJECT",
                              "FlowTimeouts": {"TcpIdleTimeoutSeconds": 350}},
    "TLSInspectionConfigurationArn": TLS_ARN,
    "PolicyVariables": {"RuleVariables": {"HOME_NET": {"Definition": ["198.18.0.0/15"]}}},
    "EnableTLSSessionHolding": True,
}

POLICY_RESPONSE = {
    "FirewallPolicyName": "main", "FirewallPolicyArn": POLICY_ARN, "FirewallPolicyId": UUID2,
    "Description": "lab policy", "FirewallPolicyStatus": "ACTIVE", "Tags": [{"Key": "env", "Value": "lab"}],
    "ConsumedStatelessRuleCapacity": 100, "ConsumedStatefulRuleCapacity": 100,
    "ConsumedStatefulDomainCapacity": 0, "NumberOfAssociations": 1,
    "EncryptionConfiguration": AWS_OWNED, "LastModifiedTime": 1735689600,
}

TLS_CONFIG = {"ServerCertificateConfigurations": [{
    "Scopes": [{"Sources": [{"AddressDefinition": "198.18.0.0/24"}], "DestinationPorts": [{"FromPort": 443, "ToPort": 443}],
                "Protocols": [6]}],
    "CertificateAuthorityArn": CERT_ARN,
    "CheckCertificateRevocationStatus": {"RevokedStatusAction": "REJECT", "UnknownStatusAction": "PASS"},
}]}

TLS_RESPONSE = {
    "TLSInspectionConfigurationArn": TLS_ARN, "TLSInspectionConfigurationName": "egress-tls",
    "TLSInspectionConfigurationId": UUID1, "TLSInspectionConfigurationStatus": "ACTIVE", "Tags": [],
    "LastModifiedTime": 1735689600.5, "NumberOfAssociations": 0, "EncryptionConfiguration": AWS_OWNED,
    "Certificates": [],
    "CertificateAuthority": {"CertificateArn": CERT_ARN, "CertificateSerial": "07:71:71:f4", "Status": "ISSUED"},
}

FIREWALL = {
    "FirewallName": "lab", "FirewallArn": FW_ARN, "FirewallPolicyArn": POLICY_ARN, "SubnetMappings": [],
    "DeleteProtection": False, "SubnetChangeProtection": False, "FirewallPolicyChangeProtection": False,
    "FirewallId": UUID2, "Tags": [], "EncryptionConfiguration": AWS_OWNED,
}

CERT_DETAIL = {
    "CertificateArn": CERT_ARN, "DomainName": "example.com", "SubjectAlternativeNames": ["example.com", "*.example.com"],
    "Serial": "07:71:71:f4", "Subject": "CN=example.com", "Issuer": "Rampart Lab CA", "CreatedAt": 1735689600.0,
    "ImportedAt": 1735689600.0, "Status": "ISSUED", "NotBefore": 1735600000, "NotAfter": 1767225600,
    "KeyAlgorithm": "RSA-2048", "SignatureAlgorithm": "SHA256WITHRSA", "InUseBy": [], "Type": "IMPORTED",
    "KeyUsages": [{"Name": "DIGITAL_SIGNATURE"}, {"Name": "KEY_ENCIPHERMENT"}],
    "ExtendedKeyUsages": [{"Name": "TLS_WEB_SERVER_AUTHENTICATION", "OID": "1.3.6.1.5.5.7.3.1"}],
    "RenewalEligibility": "INELIGIBLE", "IsCertificateAuthority": False,
}

VALID_SAMPLES: list[tuple[str, object]] = [
    ("HealthStatus", {"status": "ok"}),
    ("ErrorResponse", {"__type": "InvalidTokenException", "Message": "Update token is stale or not valid"}),
    ("RuleGroupOutput", {"UpdateToken": UUID2, "RuleGroup": STATELESS_GROUP,
                         "RuleGroupResponse": rule_group_response("edge-stateless", SL_ARN, "STATELESS")}),
    ("RuleGroupOutput", {"UpdateToken": UUID2, "RuleGroup": STATEFUL_GROUP,
                         "RuleGroupResponse": {**rule_group_response("egress-domains", SF_ARN, "STATEFUL"),
                                               "Description": "egress"}}),
    ("RuleGroupOutput", {"UpdateToken": UUID2,
                         "RuleGroup": {"RulesSource": {"RulesString": 'drop tls any any -> any any (tls.sni; content:"x"; sid:1;)'}},
                         "RuleGroupResponse": rule_group_response("suricata", SF_ARN, "STATEFUL")}),
    ("RuleGroupOutput", {"UpdateToken": UUID2,
                         "RuleGroup": {"RulesSource": {"RulesSourceList": {
                             "Targets": [".example.com"], "TargetTypes": ["TLS_SNI", "HTTP_HOST"],
                             "GeneratedRulesType": "DENYLIST"}}},
                         "RuleGroupResponse": rule_group_response("domains", SF_ARN, "STATEFUL")}),
    ("DeleteRuleGroupOutput", {"RuleGroupResponse": rule_group_response("x", SF_ARN, "STATEFUL", "DELETING")}),
    ("ListRuleGroupsOutput", {"RuleGroups": [{"Name": "edge-stateless", "Arn": SL_ARN}], "NextToken": "abc+/=:1"}),
    ("ListRuleGroupsOutput", {"RuleGroups": []}),
    ("FirewallPolicyOutput", {"UpdateToken": UUID1, "FirewallPolicy": POLICY, "FirewallPolicyResponse": POLICY_RESPONSE}),
    ("DeleteFirewallPolicyOutput", {"FirewallPolicyResponse": {**POLICY_RESPONSE, "FirewallPolicyStatus": "DELETING"}}),
    ("ListFirewallPoliciesOutput", {"FirewallPolicies": [{"Name": "main", "Arn": POLICY_ARN}]}),
    ("TLSInspectionConfigurationOutput", {"UpdateToken": UUID1, "TLSInspectionConfiguration": TLS_CONFIG,
                                          "TLSInspectionConfigurationResponse": TLS_RESPONSE}),
    ("DeleteTLSInspectionConfigurationOutput", {"TLSInspectionConfigurationResponse": TLS_RESPONSE}),
    ("ListTLSInspectionConfigurationsOutput", {"TLSInspectionConfigurations": [{"Name": "egress-tls", "Arn": TLS_ARN}]}),
    ("FirewallOutput", {"UpdateToken": UUID1, "Firewall": FIREWALL, "FirewallStatus": {
        "Status": "READY", "ConfigurationSyncStateSummary": "IN_SYNC",
        "SyncStates": {"worker-1": {"Attachment": {"EndpointId": "worker-1", "Status": "READY"},
                                    "Config": {POLICY_ARN: {"SyncStatus": "IN_SYNC", "UpdateToken": UUID1},
                                               SF_ARN: {"SyncStatus": "IN_SYNC"}}}}}}),
    ("FirewallOutput", {"Firewall": {**FIREWALL, "VpcId": "vpc-0abc", "Description": "d",
                                     "SubnetMappings": [{"SubnetId": "subnet-1", "IPAddressType": "IPV4"}]},
                        "FirewallStatus": {"Status": "PROVISIONING", "ConfigurationSyncStateSummary": "PENDING",
                                           "SyncStates": {}}}),
    ("ListFirewallsOutput", {"Firewalls": [{"FirewallName": "lab", "FirewallArn": FW_ARN}]}),
    ("AssociateFirewallPolicyOutput", {"FirewallArn": FW_ARN, "FirewallName": "lab", "FirewallPolicyArn": POLICY_ARN,
                                       "UpdateToken": UUID1}),
    ("UpdateFirewallDeleteProtectionOutput", {"FirewallArn": FW_ARN, "FirewallName": "lab", "DeleteProtection": True,
                                              "UpdateToken": UUID1}),
    ("UpdateFirewallPolicyChangeProtectionOutput", {"FirewallArn": FW_ARN, "FirewallName": "lab",
                                                    "FirewallPolicyChangeProtection": False, "UpdateToken": UUID1}),
    ("ImportCertificateOutput", {"CertificateArn": CERT_ARN}),
    ("DescribeCertificateOutput", {"Certificate": CERT_DETAIL}),
    ("DescribeCertificateOutput", {"Certificate": {**CERT_DETAIL, "SubjectAlternativeNames": [], "KeyUsages": [],
                                                   "ExtendedKeyUsages": [], "IsCertificateAuthority": True,
                                                   "InUseBy": [TLS_ARN], "Subject": "CN=Rampart Lab CA"}}),
    ("DescribeCertificateOutput", {"Certificate": {**CERT_DETAIL, "SubjectAlternativeNames": [f"h{i}.example.com" for i in range(150)]}}),
    ("GetCertificateOutput", {"Certificate": PEM}),
    ("GetCertificateOutput", {"Certificate": PEM, "CertificateChain": PEM + PEM}),
    ("ListCertificatesOutput", {"CertificateSummaryList": [{
        "CertificateArn": CERT_ARN, "DomainName": "example.com", "SubjectAlternativeNameSummaries": ["example.com"],
        "HasAdditionalSubjectAlternativeNames": False, "Status": "ISSUED", "Type": "IMPORTED",
        "KeyAlgorithm": "EC-prime256v1", "InUse": False, "NotBefore": 1, "NotAfter": 2, "CreatedAt": 1.5,
        "ImportedAt": 1.5}]}),
    ("ListWorkersOutput", {"Workers": [{
        "WorkerId": "host-a/0", "Host": "host-a", "Pid": 4242, "FirewallName": "lab", "Queue": 0,
        "AppliedVersion": 7, "AppliedDigest": "ab" * 32, "LastNackVersion": 6, "LastNackReason": "bad",
        "ConnectedAt": 1735689600.1, "LastSeen": 1735689660.9, "Counters": {"packets": 18446744073709551615}}]}),
    ("ListWorkersOutput", {"Workers": []}),
    ("CreateAccessKeyOutput", {"AccessKeyId": ACCESS_KEY_ID, "SecretAccessKey": "Ab3+/x" * 6 + "Zz09",
                               "CreatedAt": 1735689600.25}),
    ("ListAccessKeysOutput", {"AccessKeys": [{"AccessKeyId": ACCESS_KEY_ID, "CreatedAt": 1735689600}]}),
    ("ListAccessKeysOutput", {"AccessKeys": []}),
    ("AwsJsonOutput", {"UpdateToken": UUID1, "RuleGroupResponse": rule_group_response("x", SF_ARN, "STATEFUL")}),
    ("AwsJsonOutput", {}),
    ("NetworkFirewallErrorResponse", {"__type": "InvalidSignatureException", "Message": "signature does not match"}),
    ("CertificateManagerErrorResponse", {"__type": "ResourceNotFoundException", "message": "not found"}),
    ("AwsErrorResponse", {"__type": "InvalidTokenException", "Message": "stale"}),
    ("AwsErrorResponse", {"__type": "ResourceInUseException", "message": "in use"}),
    # requests
    ("AwsJsonRequest", {"RuleGroupName": "a", "Type": "STATEFUL", "Capacity": 1, "Rules": "pass ip any any -> any any (sid:1;)"}),
    ("AwsJsonRequest", {}),
    ("CreateRuleGroupRequest", {"RuleGroupName": "egress-domains", "Type": "STATEFUL", "Capacity": 100,
                                "Rules": "pass tcp any any -> any any (sid:1;)", "Tags": [{"Key": "env", "Value": "lab"}]}),
    ("CreateRuleGroupRequest", {"RuleGroupName": "edge-stateless", "Type": "STATELESS", "Capacity": 10,
                                "RuleGroup": STATELESS_GROUP, "DryRun": True}),
    ("UpdateRuleGroupRequest", {"UpdateToken": UUID1, "RuleGroup": STATEFUL_GROUP, "Description": "x"}),
    ("CreateFirewallPolicyRequest", {"FirewallPolicyName": "main", "FirewallPolicy": POLICY}),
    ("UpdateFirewallPolicyRequest", {"UpdateToken": UUID1, "FirewallPolicy": POLICY, "DryRun": False}),
    ("CreateTLSInspectionConfigurationRequest", {"TLSInspectionConfigurationName": "egress-tls",
                                                 "TLSInspectionConfiguration": TLS_CONFIG}),
    ("UpdateTLSInspectionConfigurationRequest", {"UpdateToken": UUID1, "TLSInspectionConfiguration": TLS_CONFIG}),
    ("CreateFirewallRequest", {"FirewallName": "lab", "FirewallPolicyArn": POLICY_ARN, "DeleteProtection": True}),
    ("AssociateFirewallPolicyRequest", {"FirewallPolicyArn": POLICY_ARN}),
    ("UpdateFirewallDeleteProtectionRequest", {"DeleteProtection": False, "UpdateToken": UUID1}),
    ("UpdateFirewallPolicyChangeProtectionRequest", {"FirewallPolicyChangeProtection": True}),
    ("ImportCertificateRequest", {"Certificate": PEM, "PrivateKey": "-----BEGIN PRIVATE KEY-----\n...",
                                  "Tags": [{"Key": "env"}]}),
]

INVALID_SAMPLES: list[tuple[str, object, str]] = [
    ("ErrorResponse", {"__type": "NoSuchThing", "Message": "x"}, "unknown error type"),
    ("ErrorResponse", {"__type": "InvalidRequestException"}, "missing Message"),
    ("CreateRuleGroupRequest", {"RuleGroupName": "bad name", "Type": "STATEFUL", "Capacity": 1, "Rules": ""}, "name pattern"),
    ("CreateRuleGroupRequest", {"RuleGroupName": "a", "Type": "STATEFUL", "Capacity": 0, "Rules": ""}, "capacity 0"),
    ("CreateRuleGroupRequest", {"RuleGroupName": "a", "Type": "STATEFUL", "Capacity": 1}, "neither RuleGroup nor Rules"),
    ("CreateRuleGroupRequest", {"RuleGroupName": "a", "Type": "STATEFUL", "Capacity": 1, "Rules": "",
                                "RuleGroup": STATEFUL_GROUP}, "both RuleGroup and Rules"),
    ("CreateRuleGroupRequest", {"RuleGroupName": "a", "Type": "STATEFUL", "Capacity": 1, "Rules": "",
                                "Description": "x" * 513}, "description too long"),
    ("CreateRuleGroupRequest", {"RuleGroupName": "a", "Type": "STATEFUL", "Capacity": 1, "Rules": "",
                                "Tags": [{"Key": "k"}] * 201}, "too many tags"),
    ("RuleGroup", {"RulesSource": {}}, "empty RulesSource"),
    ("RuleGroup", {"RulesSource": {"RulesString": "", "StatefulRules": []}}, "two rule sources"),
    ("StatelessRule", {"Priority": 0, "RuleDefinition": {"Actions": [], "MatchAttributes": {}}}, "priority 0"),
    ("PortRange", {"FromPort": 0, "ToPort": 65536}, "port 65536"),
    ("Address", {"AddressDefinition": "example.com"}, "not a CIDR"),
    ("UpdateRuleGroupRequest", {"UpdateToken": "not-a-uuid", "Rules": ""}, "bad token"),
    ("FirewallPolicy", {"StatelessDefaultActions": ["aws:pass"]}, "missing fragment actions"),
    ("ErrorResponse", {"__type": "InvalidSignatureException", "message": "x"}, "lowercase message on /v1"),
    ("CreateAccessKeyOutput", {"AccessKeyId": "AKIA123", "SecretAccessKey": "x" * 40, "CreatedAt": 1}, "short key id"),
    ("CreateAccessKeyOutput", {"AccessKeyId": ACCESS_KEY_ID, "CreatedAt": 1}, "no secret"),
    ("AccessKeySummary", {"AccessKeyId": ACCESS_KEY_ID, "CreatedAt": "yesterday"}, "CreatedAt not a number"),
    ("AwsJsonRequest", ["not", "an", "object"], "request not an object"),
    ("NetworkFirewallErrorResponse", {"__type": "InvalidRequestException", "message": "x"}, "NF error with lowercase message"),
    ("CertificateManagerErrorResponse", {"__type": "ResourceNotFoundException", "Message": "x"}, "ACM error with Message"),
    ("CertificateManagerErrorResponse", {"__type": "com.amazonaws#Bad", "message": "x"}, "__type not a bare name"),
    ("AwsErrorResponse", {"__type": "InvalidRequestException"}, "AWS error without a message"),
    ("AwsErrorResponse", {"Message": "x"}, "AWS error without __type"),
]


def check_samples(spec: dict) -> None:
    registry = Registry().with_resource("urn:rampart-openapi", Resource.from_contents(spec, default_specification=DRAFT202012))

    def validator(name: str) -> Draft202012Validator:
        return Draft202012Validator({"$ref": f"urn:rampart-openapi#/components/schemas/{name}"}, registry=registry)

    for name, instance in VALID_SAMPLES:
        for error in validator(name).iter_errors(instance):
            fail(f"sample {name} does not validate: {error.message} at {list(error.absolute_path)}")
    for name, instance, why in INVALID_SAMPLES:
        if validator(name).is_valid(instance):
            fail(f"invalid sample {name} ({why}) validates")
    # every response schema of every operation has at least one sample
    sampled = {name for name, _ in VALID_SAMPLES}
    for op_id, (_, request, response) in EXPECTED_OPERATIONS.items():
        for name in (request, response):
            if name and name not in sampled:
                fail(f"no sample for {name} ({op_id})")


def main() -> int:
    spec = load_spec()
    try:
        validate_spec(spec)
    except Exception as e:  # noqa: BLE001 - report any validator failure
        fail(f"openapi-spec-validator: {e}")
    if spec.get("openapi") != "3.1.0":
        fail("openapi must be 3.1.0")
    if spec.get("info", {}).get("title") != "Rampart API" or spec.get("info", {}).get("version") != "1.0.0":
        fail("info.title / info.version")
    check_routes(spec)
    check_operations(spec)
    check_patterns(spec)
    check_swift(spec)
    check_samples(spec)
    if failures:
        print(f"{len(failures)} problem(s):")
        for f in failures:
            print("  -", f)
        return 1
    print(f"OK: {len(EXPECTED_ROUTES)} routes, {len(VALID_SAMPLES)} valid and {len(INVALID_SAMPLES)} invalid samples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
