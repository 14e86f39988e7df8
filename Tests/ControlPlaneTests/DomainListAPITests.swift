import Foundation
import HTTPTypes
import Rules
import Shared
import Testing

@testable import ControlPlane

@Suite("Domain-list rule groups over the API")
struct DomainListAPITests {
    /// A CreateRuleGroup body for a STATEFUL domain-list group.
    static func body(
        _ name: String, targets: [String], types: [String] = ["TLS_SNI", "HTTP_HOST"], list: String = "ALLOWLIST",
        capacity: Int = 100, extra: String = "", type: String = "STATEFUL"
    ) -> String {
        let targetsJSON = targets.map(APIClient.quote).joined(separator: ", ")
        let typesJSON = types.map { "\"\($0)\"" }.joined(separator: ", ")
        return #"{"RuleGroupName": "\#(name)", "Type": "\#(type)", "Capacity": \#(capacity), "RuleGroup": {"RulesSource": {"RulesSourceList": {"Targets": [\#(targetsJSON)], "TargetTypes": [\#(typesJSON)], "GeneratedRulesType": "\#(list)"}}\#(extra)}}"#
    }

    @Test func createDescribeAndSnapshotCarryTheGeneratedRules() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let targets = [".Amazon.com", "example.com"]
            let variables = #", "RuleVariables": {"IPSets": {"HOME_NET": {"Definition": ["10.9.0.0/16"]}}}"#
            let created = try await client.post("/v1/rule-groups", Self.body("egress", targets: targets, capacity: 6, extra: variables))
            #expect(created.status == 201, "\(created.text)")
            #expect(created.value("RuleGroupResponse.ConsumedCapacity") as? Int == 6)
            #expect(created.string("RuleGroupResponse.Type") == "STATEFUL")
            let arn = try #require(created.string("RuleGroupResponse.RuleGroupArn"))
            #expect(arn == "arn:aws:network-firewall:us-east-1:000000000000:stateful-rulegroup/egress")

            let described = try await client.get("/v1/rule-groups/stateful/egress")
            #expect(described.status == 200)
            #expect(described.value("RuleGroup.RulesSource.RulesSourceList.Targets") as? [String] == targets)
            #expect(described.value("RuleGroup.RulesSource.RulesSourceList.TargetTypes") as? [String] == ["TLS_SNI", "HTTP_HOST"])
            #expect(described.string("RuleGroup.RulesSource.RulesSourceList.GeneratedRulesType") == "ALLOWLIST")
            #expect(described.value("RuleGroup.RulesSource.RulesString") == nil)

            let policy = try await client.createPolicy("p", statefulArns: [arn])
            let policyArn = try #require(policy.string("FirewallPolicyResponse.FirewallPolicyArn"))
            let firewall = try await client.post("/v1/firewalls", #"{"FirewallName": "fw", "FirewallPolicyArn": "\#(policyArn)"}"#)
            #expect(firewall.status == 201, "\(firewall.text)")
            let snapshot = try #require(await harness.services.registry.snapshot(firewallName: "fw"))
            let group = try #require(snapshot.body.stateful.groups.first)
            #expect(group.arn == arn)

            // The worker gets exactly what the renderer writes, parsed with the group's HOME_NET.
            let list = RulesSourceList(Targets: targets, TargetTypes: [.TLS_SNI, .HTTP_HOST], GeneratedRulesType: .ALLOWLIST)
            let scope = try VariableScope.make(group: RuleVariables(IPSets: ["HOME_NET": IPSet(Definition: ["10.9.0.0/16"])]), policy: nil)
            let expected = try RulesParser.parse(
                try DomainListRenderer.render(list, ruleOrder: .DEFAULT_ACTION_ORDER).joined(separator: "\n"), variables: scope
            ).map(\.canonicalText)
            #expect(group.rules == expected)
            #expect(group.rules.count == 6)
            #expect(group.rules.allSatisfy { $0.contains("10.9.0.0/16") })
            #expect(group.rules[0].hasPrefix("pass tls "))
            #expect(group.rules[0].contains(".amazon.com"))
            #expect(group.rules[0].contains("tls.sni"))
            #expect(group.rules[1].hasPrefix("pass http "))
            #expect(group.rules[1].contains("http.host"))
            #expect(group.rules[4].hasPrefix("drop tls "))
            #expect(group.rules[5].hasPrefix("drop http "))
        }
    }

    @Test func capacityIsDomainsTimesTypesPlusTypes() async throws {
        try await APIHarness().test { client in
            let dry = try await client.post("/v1/rule-groups", #"{"DryRun": true, "# + Self.body("dry", targets: ["a.example", ".b.example"], capacity: 6).dropFirstCharacter)
            #expect(dry.status == 200, "\(dry.text)")
            #expect(dry.value("RuleGroupResponse.ConsumedCapacity") as? Int == 2 * 2 + 2)
            #expect(try await client.get("/v1/rule-groups/stateful/dry").status == 404)

            let over = try await client.post("/v1/rule-groups", Self.body("small", targets: ["a.example", ".b.example"], capacity: 5))
            #expect(over.status == 400)
            #expect(over.errorType == "InvalidRequestException")
            #expect(over.message.contains("Capacity"))
            #expect(over.message.contains("consume 6"))
            #expect(try await client.get("/v1/rule-groups/stateful/small").status == 404)

            let httpOnly = try await client.post("/v1/rule-groups", Self.body("http", targets: (0..<99).map { "d\($0).example" }, types: ["HTTP_HOST"], list: "DENYLIST", capacity: 100))
            #expect(httpOnly.status == 201, "\(httpOnly.text)")
            #expect(httpOnly.value("RuleGroupResponse.ConsumedCapacity") as? Int == 100)
        }
    }

    @Test(arguments: [
        ("*.example.com", "'*' is not allowed"),
        ("bad domain.example", "U+20 is not allowed"),
        ("https://example.com", "without a scheme"),
        ("..example.com", "only one leading '.'"),
    ])
    func badTargetIsRefusedNamingItsIndexAndNothingIsStored(target: String, problem: String) async throws {
        try await APIHarness().test { client in
            let response = try await client.post("/v1/rule-groups", Self.body("bad", targets: ["a.example", ".b.example", "c.example", target]))
            #expect(response.status == 400)
            #expect(response.errorType == "InvalidRequestException")
            #expect(response.message.contains("RulesSource.RulesSourceList.Targets[3]"), "\(response.message)")
            #expect(response.message.contains("Targets[3] is not a valid domain"), "\(response.message)")
            #expect(response.message.contains("parameter: [\(target)]"), "\(response.message)")
            #expect(response.message.contains(problem), "\(response.message)")
            #expect(try await client.get("/v1/rule-groups/stateful/bad").status == 404)
        }
    }

    @Test func badTargetTypesAreRefused() async throws {
        try await APIHarness().test { client in
            let none = try await client.post("/v1/rule-groups", Self.body("none", targets: ["a.example"], types: []))
            #expect(none.status == 400)
            #expect(none.message.contains("RulesSource.RulesSourceList.TargetTypes"), "\(none.message)")
            let twice = try await client.post("/v1/rule-groups", Self.body("twice", targets: ["a.example"], types: ["TLS_SNI", "TLS_SNI"]))
            #expect(twice.status == 400)
            #expect(twice.message.contains("RulesSource.RulesSourceList.TargetTypes[1]"), "\(twice.message)")
            let unknown = try await client.post("/v1/rule-groups", Self.body("unknown", targets: ["a.example"], types: ["DNS_QUERY"]))
            #expect(unknown.status == 400)
        }
    }

    @Test func strictOrderGroupIsAcceptedWithoutPriorities() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let strict = #", "StatefulRuleOptions": {"RuleOrder": "STRICT_ORDER"}"#
            let created = try await client.post("/v1/rule-groups", Self.body("strict", targets: [".example.com"], extra: strict))
            #expect(created.status == 201, "\(created.text)")
            let arn = try #require(created.string("RuleGroupResponse.RuleGroupArn"))
            let policy = try await client.post("/v1/firewall-policies", #"{"FirewallPolicyName": "sp", "FirewallPolicy": {"StatelessDefaultActions": ["aws:forward_to_sfe"], "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"], "StatefulEngineOptions": {"RuleOrder": "STRICT_ORDER"}, "StatefulRuleGroupReferences": [{"ResourceArn": "\#(arn)", "Priority": 10}]}}"#)
            #expect(policy.status == 201, "\(policy.text)")
            let policyArn = try #require(policy.string("FirewallPolicyResponse.FirewallPolicyArn"))
            #expect(try await client.post("/v1/firewalls", #"{"FirewallName": "fw", "FirewallPolicyArn": "\#(policyArn)"}"#).status == 201)
            let rules = try #require(await harness.services.registry.snapshot(firewallName: "fw")?.body.stateful.groups.first?.rules)
            #expect(rules.count == 4)
            #expect(!rules.contains { $0.contains("priority") })
            #expect(rules.map { String($0.prefix(4)) } == ["pass", "pass", "drop", "drop"])
        }
    }

    @Test func updateSwitchesBetweenRulesStringAndDomainList() async throws {
        try await APIHarness().test { client in
            let created = try await client.createStatefulGroup("g", rules: "alert ip any any -> any any (sid:1;)", capacity: 4)
            let token = try #require(created.string("UpdateToken"))
            let list = #"{"RulesSource": {"RulesSourceList": {"Targets": ["a.example"], "TargetTypes": ["TLS_SNI"], "GeneratedRulesType": "REJECTLIST"}}}"#
            let updated = try await client.put("/v1/rule-groups/stateful/g", #"{"UpdateToken": "\#(token)", "RuleGroup": \#(list)}"#)
            #expect(updated.status == 200, "\(updated.text)")
            #expect(updated.value("RuleGroupResponse.ConsumedCapacity") as? Int == 2)
            let token2 = try #require(updated.string("UpdateToken"))

            let tooMany = #"{"RulesSource": {"RulesSourceList": {"Targets": ["a.example", "b.example"], "TargetTypes": ["TLS_SNI", "HTTP_HOST"], "GeneratedRulesType": "ALERTLIST"}}}"#
            let refused = try await client.put("/v1/rule-groups/stateful/g", #"{"UpdateToken": "\#(token2)", "RuleGroup": \#(tooMany)}"#)
            #expect(refused.status == 400)
            #expect(refused.message.contains("Capacity"))
            let described = try await client.get("/v1/rule-groups/stateful/g")
            #expect(described.string("UpdateToken") == token2)
            #expect(described.string("RuleGroup.RulesSource.RulesSourceList.GeneratedRulesType") == "REJECTLIST")
        }
    }

    @Test func statefulDomainTypeIsRefusedWithAPointerToStateful() async throws {
        try await APIHarness().test { client in
            let created = try await client.post("/v1/rule-groups", Self.body("d", targets: ["a.example"], type: "STATEFUL_DOMAIN"))
            #expect(created.status == 400)
            #expect(created.errorType == "InvalidRequestException")
            #expect(created.message.contains("STATEFUL rule group with RulesSource.RulesSourceList"), "\(created.message)")
            let listed = try await client.get("/v1/rule-groups?Type=STATEFUL_DOMAIN")
            #expect(listed.status == 400)
            #expect(listed.message.contains("domain lists are STATEFUL rule groups"), "\(listed.message)")
        }
    }

    @Test func domainListIsNotAStatelessSource() async throws {
        try await APIHarness().test { client in
            let response = try await client.post("/v1/rule-groups", Self.body("sl", targets: ["a.example"], type: "STATELESS"))
            #expect(response.status == 400)
            #expect(response.message.contains("StatelessRulesAndCustomActions"))
        }
    }
}

extension String {
    /// The string without its first character (to splice JSON objects).
    fileprivate var dropFirstCharacter: String { String(dropFirst()) }
}
