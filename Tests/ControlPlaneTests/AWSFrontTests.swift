import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ControlPlane

/// The AWS JSON front through the real router: signed requests, both dialects, and the
/// operations that exist only there.
@Suite("AWS JSON front")
struct AWSFrontTests {
    /// Mints an access key through the REST API and runs `body` with a signer for it.
    func withSigner(_ body: @escaping @Sendable (any TestClientProtocol, AWSSigner, APIClient) async throws -> Void) async throws {
        try await APIHarness().test { client in
            let created = try await client.post("/v1/access-keys", "{}")
            #expect(created.status == 201, "\(created.text)")
            let signer = AWSSigner(accessKeyId: try #require(created.string("AccessKeyId")), secret: try #require(created.string("SecretAccessKey")))
            try await body(client.client, signer, client)
        }
    }

    static let rules = #"drop tls $HOME_NET any -> any any (tls.sni; content:\"blocked.test\"; sid:1;)"#

    @Test func signedRequestsSucceedInTheServiceDialect() async throws {
        try await withSigner { client, signer, _ in
            let created = try await signer.call(client, "NetworkFirewall_20201112.CreateRuleGroup", #"{"RuleGroupName": "g", "Type": "STATEFUL", "Capacity": 10, "Rules": "\#(Self.rules)"}"#)
            #expect(created.status == 200, "\(created.text)")
            #expect(created.header("Content-Type") == "application/x-amz-json-1.0")
            #expect(created.header("x-amzn-RequestId")?.count == 36)
            #expect(created.value("RuleGroupResponse.LastModifiedTime") is Double)
            let listed = try await signer.call(client, "NetworkFirewall_20201112.ListRuleGroups", "{}")
            #expect(listed.value("RuleGroups.0.Name") as? String == "g")
            #expect(listed.json["NextToken"] == nil)
        }
    }

    @Test func errorsUseMessageForNetworkFirewallAndLowercaseForACM() async throws {
        try await withSigner { client, signer, _ in
            let missing = try await signer.call(client, "NetworkFirewall_20201112.DescribeFirewall", #"{"FirewallName": "nope"}"#)
            #expect(missing.status == 400)
            #expect(missing.errorType == "ResourceNotFoundException")
            #expect(missing.header("X-Amzn-ErrorType") == "ResourceNotFoundException")
            #expect((missing.json["Message"] as? String)?.contains("nope") == true)
            let acm = try await signer.call(client, "CertificateManager.DescribeCertificate", #"{"CertificateArn": "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000"}"#)
            #expect(acm.errorType == "ResourceNotFoundException")
            #expect(acm.header("Content-Type") == "application/x-amz-json-1.1")
            #expect(acm.json["message"] is String && acm.json["Message"] == nil)
            let malformed = try await signer.call(client, "CertificateManager.DescribeCertificate", #"{"CertificateArn": "not-an-arn"}"#)
            #expect(malformed.errorType == "InvalidArnException")
        }
    }

    @Test func unknownOperationsAreNamedAsUnsupported() async throws {
        try await withSigner { client, signer, _ in
            let flow = try await signer.call(client, "NetworkFirewall_20201112.StartFlowCapture", "{}")
            #expect(flow.errorType == "UnsupportedOperationException")
            #expect((flow.json["Message"] as? String)?.contains("StartFlowCapture") == true)
            let acm = try await signer.call(client, "CertificateManager.RequestCertificate", "{}")
            #expect(acm.errorType == "UnsupportedOperationException")
            #expect((acm.json["message"] as? String)?.contains("RequestCertificate") == true)
        }
    }

    @Test func forgedRequestsAreRefusedAndChangeNothing() async throws {
        try await withSigner { client, signer, api in
            let body = #"{"RuleGroupName": "forged", "Type": "STATEFUL", "Capacity": 10, "Rules": "\#(Self.rules)"}"#
            let target = "NetworkFirewall_20201112.CreateRuleGroup"
            let unsigned = try await signer.send(client, method: .post, uri: "/", headers: [("X-Amz-Target", target), ("Content-Type", "application/x-amz-json-1.0")], body: body)
            #expect(unsigned.errorType == "MissingAuthenticationTokenException")
            let control = try await signer.call(client, target, body)
            #expect(control.status == 200)
            let tampered = try await signer.call(client, target, body.replacingOccurrences(of: "forged", with: "forged2")) { headers in
                // Re-sign nothing: the target now disagrees with the signature.
                if let index = headers.firstIndex(where: { $0.0 == "x-amz-target" }) { headers[index].1 = "NetworkFirewall_20201112.DeleteRuleGroup" }
            }
            #expect(tampered.errorType == "InvalidSignatureException")
            var stranger = signer
            stranger.accessKeyId = "AKIAUNKNOWNUNKNOWN00"
            #expect(try await stranger.call(client, target, body).errorType == "UnrecognizedClientException")
            var wrongSecret = signer
            wrongSecret.secret = String(repeating: "x", count: 40)
            #expect(try await wrongSecret.call(client, target, body).errorType == "InvalidSignatureException")
            var wrongRegion = signer
            wrongRegion.region = "eu-west-1"
            #expect(try await wrongRegion.call(client, target, body).errorType == "InvalidSignatureException")
            let unsignedTarget = try await signer.call(client, target, body) { headers in
                if let index = headers.firstIndex(where: { $0.0 == "authorization" }) {
                    headers[index].1 = headers[index].1.replacingOccurrences(of: ";x-amz-target", with: "")
                }
            }
            #expect(unsignedTarget.errorType == "IncompleteSignatureException")
            let listed = try await api.get("/v1/rule-groups")
            #expect(listed.value("RuleGroups.0.Name") as? String == "forged")
            #expect(listed.value("RuleGroups.1") == nil)
        }
    }

    @Test func revokedKeysAreRefusedAtOnce() async throws {
        try await withSigner { client, signer, api in
            #expect(try await signer.call(client, "NetworkFirewall_20201112.ListFirewalls", "{}").status == 200)
            let keys = try await api.get("/v1/access-keys")
            #expect(keys.string("AccessKeys.0.AccessKeyId") == signer.accessKeyId)
            #expect(!keys.text.contains(signer.secret))
            #expect(try await api.delete("/v1/access-keys/\(signer.accessKeyId)").status == 204)
            #expect(try await signer.call(client, "NetworkFirewall_20201112.ListFirewalls", "{}").errorType == "UnrecognizedClientException")
            #expect(try await api.delete("/v1/access-keys/\(signer.accessKeyId)").status == 404)
        }
    }

    @Test func restAcceptsSignaturesButNotForAccessKeys() async throws {
        try await withSigner { client, signer, _ in
            let get = signer.sign(method: "GET", path: "/v1/rule-groups", query: "MaxResults=5", headers: [], body: Data(), service: "network-firewall")
            let listed = try await signer.send(client, method: .get, uri: "/v1/rule-groups?MaxResults=5", headers: get, body: nil)
            #expect(listed.status == 200, "\(listed.text)")
            let altered = try await signer.send(client, method: .get, uri: "/v1/rule-groups?MaxResults=6", headers: get, body: nil)
            #expect(altered.errorType == "InvalidSignatureException")
            let keys = signer.sign(method: "POST", path: "/v1/access-keys", headers: [], body: Data(), service: "network-firewall")
            let minted = try await signer.send(client, method: .post, uri: "/v1/access-keys", headers: keys, body: nil)
            #expect(minted.status == 401)
        }
    }

    @Test func lookupsTakeNameOrArnAndBothMustAgree() async throws {
        try await withSigner { client, signer, _ in
            _ = try await signer.call(client, "NetworkFirewall_20201112.CreateRuleGroup", #"{"RuleGroupName": "g", "Type": "STATEFUL", "Capacity": 10, "Rules": "\#(Self.rules)"}"#)
            let arn = "arn:aws:network-firewall:us-east-1:000000000000:stateful-rulegroup/g"
            #expect(try await signer.call(client, "NetworkFirewall_20201112.DescribeRuleGroup", #"{"RuleGroupArn": "\#(arn)"}"#).status == 200)
            #expect(try await signer.call(client, "NetworkFirewall_20201112.DescribeRuleGroup", #"{"RuleGroupName": "g", "Type": "STATEFUL"}"#).status == 200)
            #expect(try await signer.call(client, "NetworkFirewall_20201112.DescribeRuleGroup", #"{"RuleGroupName": "g"}"#).errorType == "InvalidRequestException")
            #expect(try await signer.call(client, "NetworkFirewall_20201112.DescribeRuleGroup", #"{"RuleGroupArn": "\#(arn)", "RuleGroupName": "h"}"#).errorType == "InvalidRequestException")
            #expect(try await signer.call(client, "NetworkFirewall_20201112.DescribeRuleGroup", "{}").errorType == "InvalidRequestException")
            let metadata = try await signer.call(client, "NetworkFirewall_20201112.DescribeRuleGroupMetadata", #"{"RuleGroupArn": "\#(arn)"}"#)
            #expect(metadata.value("Capacity") as? Int == 10)
            #expect(metadata.json["RuleGroup"] == nil)
            let stale = try await signer.call(client, "NetworkFirewall_20201112.UpdateRuleGroup", #"{"RuleGroupArn": "\#(arn)", "UpdateToken": "00000000-0000-0000-0000-000000000000", "Rules": "\#(Self.rules)"}"#)
            #expect(stale.errorType == "InvalidTokenException")
            #expect(stale.status == 400)
        }
    }

    @Test func tagsMergeAndRemoveWithoutRotatingTokens() async throws {
        try await withSigner { client, signer, _ in
            let created = try await signer.call(client, "NetworkFirewall_20201112.CreateRuleGroup", #"{"RuleGroupName": "g", "Type": "STATEFUL", "Capacity": 10, "Rules": "\#(Self.rules)", "Tags": [{"Key": "team", "Value": "a"}]}"#)
            let arn = "arn:aws:network-firewall:us-east-1:000000000000:stateful-rulegroup/g"
            #expect(try await signer.call(client, "NetworkFirewall_20201112.TagResource", #"{"ResourceArn": "\#(arn)", "Tags": [{"Key": "team", "Value": "b"}, {"Key": "env", "Value": "lab"}]}"#).text == "{}")
            let tags = try await signer.call(client, "NetworkFirewall_20201112.ListTagsForResource", #"{"ResourceArn": "\#(arn)", "MaxResults": 1}"#)
            #expect(tags.value("Tags.0.Value") as? String == "b")
            let next = try #require(tags.json["NextToken"] as? String)
            let second = try await signer.call(client, "NetworkFirewall_20201112.ListTagsForResource", #"{"ResourceArn": "\#(arn)", "NextToken": "\#(next)"}"#)
            #expect(second.value("Tags.0.Key") as? String == "env")
            _ = try await signer.call(client, "NetworkFirewall_20201112.UntagResource", #"{"ResourceArn": "\#(arn)", "TagKeys": ["team"]}"#)
            let described = try await signer.call(client, "NetworkFirewall_20201112.DescribeRuleGroup", #"{"RuleGroupArn": "\#(arn)"}"#)
            #expect(described.value("RuleGroupResponse.Tags.0.Key") as? String == "env")
            #expect(described.value("RuleGroupResponse.Tags.1") == nil)
            #expect(described.json["UpdateToken"] as? String == created.json["UpdateToken"] as? String)
            let missing = try await signer.call(client, "NetworkFirewall_20201112.TagResource", #"{"ResourceArn": "arn:aws:network-firewall:us-east-1:000000000000:firewall/none", "Tags": [{"Key": "a", "Value": "b"}]}"#)
            #expect(missing.errorType == "ResourceNotFoundException")
        }
    }

    @Test func firewallDescriptionAndLoggingOneChangeAtATime() async throws {
        try await withSigner { client, signer, api in
            let group = try await api.createStatefulGroup("g", rules: "drop tcp any any -> any 8080 (sid:1;)")
            let policy = try await api.createPolicy("p", statefulArns: [try #require(group.string("RuleGroupResponse.RuleGroupArn"))])
            let policyArn = try #require(policy.string("FirewallPolicyResponse.FirewallPolicyArn"))
            let created = try await signer.call(client, "NetworkFirewall_20201112.CreateFirewall", #"{"FirewallName": "fw", "FirewallPolicyArn": "\#(policyArn)", "VpcId": "vpc-0abc", "SubnetMappings": [{"SubnetId": "subnet-01"}]}"#)
            #expect(created.value("Firewall.VpcId") as? String == "vpc-0abc")
            #expect(created.value("Firewall.SubnetMappings.0.SubnetId") as? String == "subnet-01")
            let byVpc = try await signer.call(client, "NetworkFirewall_20201112.ListFirewalls", #"{"VpcIds": ["vpc-0def"]}"#)
            #expect(byVpc.value("Firewalls.0") == nil)
            let described = try await signer.call(client, "NetworkFirewall_20201112.UpdateFirewallDescription", #"{"FirewallName": "fw", "Description": "edge"}"#)
            #expect(described.value("Description") as? String == "edge")
            let alert = #"{"LogType": "ALERT", "LogDestinationType": "S3", "LogDestination": {"bucketName": "logs"}}"#
            let flow = #"{"LogType": "FLOW", "LogDestinationType": "CloudWatchLogs", "LogDestination": {"logGroup": "flows"}}"#
            let both = try await signer.call(client, "NetworkFirewall_20201112.UpdateLoggingConfiguration", #"{"FirewallName": "fw", "LoggingConfiguration": {"LogDestinationConfigs": [\#(alert), \#(flow)]}}"#)
            #expect(both.errorType == "InvalidRequestException")
            #expect(try await signer.call(client, "NetworkFirewall_20201112.UpdateLoggingConfiguration", #"{"FirewallName": "fw", "LoggingConfiguration": {"LogDestinationConfigs": [\#(alert)]}}"#).status == 200)
            #expect(try await signer.call(client, "NetworkFirewall_20201112.UpdateLoggingConfiguration", #"{"FirewallName": "fw", "LoggingConfiguration": {"LogDestinationConfigs": [\#(alert), \#(flow)]}}"#).status == 200)
            let logging = try await signer.call(client, "NetworkFirewall_20201112.DescribeLoggingConfiguration", #"{"FirewallArn": "arn:aws:network-firewall:us-east-1:000000000000:firewall/fw"}"#)
            #expect(logging.value("LoggingConfiguration.LogDestinationConfigs.1.LogType") as? String == "FLOW")
            let retype = #"{"LogType": "ALERT", "LogDestinationType": "KinesisDataFirehose", "LogDestination": {"deliveryStream": "s"}}"#
            let changedType = try await signer.call(client, "NetworkFirewall_20201112.UpdateLoggingConfiguration", #"{"FirewallName": "fw", "LoggingConfiguration": {"LogDestinationConfigs": [\#(retype), \#(flow)]}}"#)
            #expect(changedType.errorType == "InvalidRequestException")
            // The description survived the logging writes.
            #expect(try await api.get("/v1/firewalls/fw").string("Firewall.Description") == "edge")
        }
    }

    @Test func acmImportsBase64BlobsAndFiltersKeyTypes() async throws {
        try await withSigner { client, signer, _ in
            func blob(_ name: String) throws -> String { Data(try APIHarness.fixture(name).utf8).base64EncodedString() }
            let ec = try await signer.call(client, "CertificateManager.ImportCertificate", #"{"Certificate": "\#(try blob("ca.pem"))", "PrivateKey": "\#(try blob("ca.key"))", "Tags": [{"Key": "role"}]}"#)
            let ecArn = try #require(ec.json["CertificateArn"] as? String, "\(ec.text)")
            let rsa = try await signer.call(client, "CertificateManager.ImportCertificate", #"{"Certificate": "\#(try blob("rsa.pem"))", "PrivateKey": "\#(try blob("rsa.key"))"}"#)
            let rsaArn = try #require(rsa.json["CertificateArn"] as? String, "\(rsa.text)")
            let byDefault = try await signer.call(client, "CertificateManager.ListCertificates", "{}")
            #expect(byDefault.value("CertificateSummaryList.0.CertificateArn") as? String == rsaArn)
            #expect(byDefault.value("CertificateSummaryList.1") == nil)
            let ecOnly = try await signer.call(client, "CertificateManager.ListCertificates", #"{"Includes": {"keyTypes": ["EC_prime256v1"]}}"#)
            #expect(ecOnly.value("CertificateSummaryList.0.CertificateArn") as? String == ecArn)
            let reimport = try await signer.call(client, "CertificateManager.ImportCertificate", #"{"CertificateArn": "\#(ecArn)", "Certificate": "\#(try blob("ca.pem"))", "PrivateKey": "\#(try blob("ca.key"))"}"#)
            #expect(reimport.json["CertificateArn"] as? String == ecArn)
            #expect(try await signer.call(client, "CertificateManager.AddTagsToCertificate", #"{"CertificateArn": "\#(ecArn)", "Tags": [{"Key": "env", "Value": "lab"}]}"#).status == 200)
            #expect(try await signer.call(client, "CertificateManager.AddTagsToCertificate", #"{"CertificateArn": "\#(ecArn)", "Tags": [{"Key": "aws:x", "Value": "y"}]}"#).errorType == "InvalidTagException")
            _ = try await signer.call(client, "CertificateManager.RemoveTagsFromCertificate", #"{"CertificateArn": "\#(ecArn)", "Tags": [{"Key": "env", "Value": "other"}]}"#)
            let tags = try await signer.call(client, "CertificateManager.ListTagsForCertificate", #"{"CertificateArn": "\#(ecArn)"}"#)
            #expect(tags.value("Tags.0.Key") as? String == "role")
            #expect(tags.value("Tags.1.Key") as? String == "env")
            let notBase64 = try await signer.call(client, "CertificateManager.ImportCertificate", #"{"Certificate": "***", "PrivateKey": "***"}"#)
            #expect(notBase64.errorType == "ValidationException")
            let pem = try await signer.call(client, "CertificateManager.GetCertificate", #"{"CertificateArn": "\#(ecArn)"}"#)
            #expect((pem.json["Certificate"] as? String)?.hasPrefix("-----BEGIN CERTIFICATE-----") == true)
            #expect(!pem.text.contains("PRIVATE KEY"))
        }
    }
}
