import HTTPTypes
import Shared
import Foundation
import GRDB
import Testing

@testable import ControlPlane

@Suite("Policies and firewalls over the API")
struct PolicyAndFirewallAPITests {
    @Test func groupInUseCannotBeDeleted() async throws {
        try await APIHarness().test { client in
            let group = try await client.createStatefulGroup("g", rules: "drop tcp any any -> any 8080 (sid:1;)")
            let arn = try #require(group.string("RuleGroupResponse.RuleGroupArn"))
            let policy = try await client.createPolicy("p", statefulArns: [arn])
            #expect(policy.value("FirewallPolicyResponse.ConsumedStatefulRuleCapacity") as? Int == 1)
            let refused = try await client.delete("/v1/rule-groups/stateful/g")
            #expect(refused.status == 409)
            #expect(refused.errorType == "InvalidOperationException")
            #expect(try await client.get("/v1/rule-groups/stateful/g").value("RuleGroupResponse.NumberOfAssociations") as? Int == 1)
        }
    }

    @Test func policyValidation() async throws {
        try await APIHarness().test { client in
            let group = try await client.createStatefulGroup("g", rules: "drop tcp any any -> any 8080 (sid:1;)")
            let arn = try #require(group.string("RuleGroupResponse.RuleGroupArn"))
            let missing = try await client.post("/v1/firewall-policies", #"{"FirewallPolicyName": "p", "FirewallPolicy": {"StatelessDefaultActions": ["aws:forward_to_sfe"], "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"], "StatefulRuleGroupReferences": [{"ResourceArn": "arn:aws:network-firewall:us-east-1:000000000000:stateful-rulegroup/nope"}]}}"#)
            #expect(missing.status == 400)
            let noStandard = try await client.post("/v1/firewall-policies", #"{"FirewallPolicyName": "p", "FirewallPolicy": {"StatelessDefaultActions": [], "StatelessFragmentDefaultActions": ["aws:pass"]}}"#)
            #expect(noStandard.status == 400)
            #expect(noStandard.message.contains("StatelessDefaultActions"))
            let defaultsNeedStrict = try await client.post("/v1/firewall-policies", #"{"FirewallPolicyName": "p", "FirewallPolicy": {"StatelessDefaultActions": ["aws:pass"], "StatelessFragmentDefaultActions": ["aws:pass"], "StatefulDefaultActions": ["aws:drop_strict"]}}"#)
            #expect(defaultsNeedStrict.status == 400)
            let strictNeedsPriority = try await client.post("/v1/firewall-policies", #"{"FirewallPolicyName": "p", "FirewallPolicy": {"StatelessDefaultActions": ["aws:pass"], "StatelessFragmentDefaultActions": ["aws:pass"], "StatefulEngineOptions": {"RuleOrder": "STRICT_ORDER"}, "StatefulRuleGroupReferences": [{"ResourceArn": "\#(arn)"}]}}"#)
            #expect(strictNeedsPriority.status == 400)
            #expect(strictNeedsPriority.message.contains("Priority"))
            let holdingNeedsTLS = try await client.post("/v1/firewall-policies", #"{"FirewallPolicyName": "p", "FirewallPolicy": {"StatelessDefaultActions": ["aws:pass"], "StatelessFragmentDefaultActions": ["aws:pass"], "EnableTLSSessionHolding": true}}"#)
            #expect(holdingNeedsTLS.status == 400)
            #expect(try await client.get("/v1/firewall-policies/p").status == 404)
        }
    }

    @Test func firewallSnapshotsAreVersionedByDigest() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let group = try await client.createStatefulGroup("g", rules: "drop tcp any any -> any 8080 (sid:1;)")
            let arn = try #require(group.string("RuleGroupResponse.RuleGroupArn"))
            let policy = try await client.createPolicy("p", statefulArns: [arn])
            let created = try await client.post("/v1/firewalls", #"{"FirewallName": "fw", "FirewallPolicyArn": "\#(try #require(policy.string("FirewallPolicyResponse.FirewallPolicyArn")))"}"#)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.string("FirewallStatus.ConfigurationSyncStateSummary") == "PENDING")
            let first = try #require(await harness.services.registry.snapshot(firewallName: "fw"))
            #expect(first.header.version == 1)
            #expect(first.body.stateful.groups.first?.rules.first?.contains("8080") == true)

            let token = try #require(try await client.get("/v1/rule-groups/stateful/g").string("UpdateToken"))
            let update = try await client.put("/v1/rule-groups/stateful/g", #"{"UpdateToken": "\#(token)", "Rules": "drop tcp any any -> any 9090 (sid:1;)"}"#)
            #expect(update.status == 200)
            let second = try #require(await harness.services.registry.snapshot(firewallName: "fw"))
            #expect(second.header.version == 2)
            #expect(second.header.digest != first.header.digest)

            let token2 = try #require(update.string("UpdateToken"))
            let same = try await client.put("/v1/rule-groups/stateful/g", #"{"UpdateToken": "\#(token2)", "Rules": "drop tcp any any -> any 9090 (sid:1;)"}"#)
            #expect(same.status == 200)
            #expect(await harness.services.registry.snapshot(firewallName: "fw")?.header.version == 2)
        }
    }

    @Test func protectionsAreEnforced() async throws {
        try await APIHarness().test { client in
            let policy = try await client.createPolicy("p", statefulArns: [])
            let policyArn = try #require(policy.string("FirewallPolicyResponse.FirewallPolicyArn"))
            let other = try await client.createPolicy("q", statefulArns: [])
            let otherArn = try #require(other.string("FirewallPolicyResponse.FirewallPolicyArn"))
            let created = try await client.post("/v1/firewalls", #"{"FirewallName": "fw", "FirewallPolicyArn": "\#(policyArn)", "DeleteProtection": true, "FirewallPolicyChangeProtection": true}"#)
            #expect(created.status == 201)
            #expect(try await client.delete("/v1/firewalls/fw").errorType == "InvalidOperationException")
            #expect(try await client.put("/v1/firewalls/fw/policy", #"{"FirewallPolicyArn": "\#(otherArn)"}"#).errorType == "InvalidOperationException")
            #expect(try await client.delete("/v1/firewall-policies/p").errorType == "InvalidOperationException")

            let stale = try await client.put("/v1/firewalls/fw/policy-change-protection", #"{"UpdateToken": "00000000-0000-0000-0000-000000000000", "FirewallPolicyChangeProtection": false}"#)
            #expect(stale.errorType == "InvalidTokenException")
            #expect(try await client.put("/v1/firewalls/fw/policy-change-protection", #"{"FirewallPolicyChangeProtection": false}"#).status == 200)
            let associated = try await client.put("/v1/firewalls/fw/policy", #"{"FirewallPolicyArn": "\#(otherArn)"}"#)
            #expect(associated.status == 200)
            #expect(associated.string("FirewallPolicyArn") == otherArn)
            #expect(try await client.put("/v1/firewalls/fw/delete-protection", #"{"DeleteProtection": false}"#).status == 200)
            let deleted = try await client.delete("/v1/firewalls/fw")
            #expect(deleted.status == 200)
            #expect(deleted.string("FirewallStatus.Status") == "DELETING")
            #expect(try await client.get("/v1/firewalls/fw").status == 404)
            #expect(try await client.delete("/v1/firewall-policies/p").status == 200)
        }
    }
}
