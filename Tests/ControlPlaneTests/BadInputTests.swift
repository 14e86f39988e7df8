import Foundation
import HTTPTypes
import Shared
import Testing

@testable import ControlPlane

@Suite("Bad input")
struct BadInputTests {
    @Test func malformedJSON() async throws {
        try await APIHarness().test { client in
            let response = try await client.post("/v1/rule-groups", #"{"RuleGroupName": "x", "#)
            #expect(response.status == 400)
            #expect(response.errorType == "InvalidRequestException")
            #expect(response.message.contains("not valid JSON"))
        }
    }

    @Test func wrongTypeNamesTheMember() async throws {
        try await APIHarness().test { client in
            let response = try await client.post("/v1/rule-groups", #"{"RuleGroupName": "x", "Type": "STATEFUL", "Capacity": "ten", "Rules": "alert ip any any -> any any (sid:1;)"}"#)
            #expect(response.status == 400)
            #expect(response.message.contains("Capacity"))
        }
    }

    @Test func missingMemberIsNamed() async throws {
        try await APIHarness().test { client in
            let response = try await client.post("/v1/firewall-policies", #"{"FirewallPolicyName": "p", "FirewallPolicy": {"StatelessDefaultActions": ["aws:pass"]}}"#)
            #expect(response.status == 400)
            #expect(response.message.contains("FirewallPolicy.StatelessFragmentDefaultActions"))
        }
    }

    @Test func invalidEnumValueIsNamed() async throws {
        try await APIHarness().test { client in
            let response = try await client.post("/v1/rule-groups", #"{"RuleGroupName": "x", "Type": "SOMETIMES", "Capacity": 1, "Rules": "alert ip any any -> any any (sid:1;)"}"#)
            #expect(response.status == 400)
            #expect(response.message.contains("Type"))
        }
    }

    @Test func bodyOverTheLimit() async throws {
        try await APIHarness().test { client in
            let huge = String(repeating: "a", count: APILimits.maximumBodyBytes + 10)
            let response = try await client.post("/v1/rule-groups", #"{"RuleGroupName": "x", "Type": "STATEFUL", "Capacity": 1, "Rules": "\#(huge)"}"#)
            #expect(response.status == 413)
            #expect(response.errorType == "InvalidRequestException")
            #expect(try await client.get("/v1/rule-groups/stateful/x").status == 404)
        }
    }

    @Test func wrongContentType() async throws {
        try await APIHarness().test { client in
            let response = try await client.send(.post, "/v1/rule-groups", json: "RuleGroupName=x", contentType: "application/x-www-form-urlencoded")
            #expect(response.status == 415)
        }
    }

    @Test func badNamesAreRefused() async throws {
        try await APIHarness().test { client in
            let response = try await client.post("/v1/rule-groups", #"{"RuleGroupName": "no spaces", "Type": "STATEFUL", "Capacity": 1, "Rules": "alert ip any any -> any any (sid:1;)"}"#)
            #expect(response.status == 400)
            #expect(response.message.contains("RuleGroupName"))
        }
    }

    @Test func ruleGroupAndRulesTogetherAreRefused() async throws {
        try await APIHarness().test { client in
            let response = try await client.post("/v1/rule-groups", #"{"RuleGroupName": "x", "Type": "STATEFUL", "Capacity": 1, "Rules": "alert ip any any -> any any (sid:1;)", "RuleGroup": {"RulesSource": {"RulesString": "alert ip any any -> any any (sid:1;)"}}}"#)
            #expect(response.status == 400)
        }
    }
}
