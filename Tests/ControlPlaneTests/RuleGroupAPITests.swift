import Foundation
import HTTPTypes
import Shared
import Testing

@testable import ControlPlane

@Suite("Rule groups over the API")
struct RuleGroupAPITests {
    @Test func createDescribeUpdateDelete() async throws {
        try await APIHarness().test { client in
            let created = try await client.createStatefulGroup("web", rules: "drop tcp any any -> any 8080 (msg:\"no\"; sid:1;)\nalert tcp any any -> any 22 (sid:2;)")
            #expect(created.string("RuleGroupResponse.RuleGroupArn") == "arn:aws:network-firewall:us-east-1:000000000000:stateful-rulegroup/web")
            #expect(created.value("RuleGroupResponse.ConsumedCapacity") as? Int == 2)
            #expect(created.value("RuleGroupResponse.Capacity") as? Int == 10)
            let token = try #require(created.string("UpdateToken"))

            let described = try await client.get("/v1/rule-groups/stateful/web")
            #expect(described.status == 200)
            #expect(described.string("UpdateToken") == token)
            #expect(described.string("RuleGroup.RulesSource.RulesString")?.contains("sid:2") == true)
            #expect(described.string("RuleGroupResponse.RuleGroupStatus") == "ACTIVE")

            let updated = try await client.put("/v1/rule-groups/stateful/web", #"{"UpdateToken": "\#(token)", "Rules": "pass tcp any any -> any 443 (sid:3;)"}"#)
            #expect(updated.status == 200, "\(updated.text)")
            #expect(updated.string("UpdateToken") != token)
            #expect(updated.value("RuleGroupResponse.ConsumedCapacity") as? Int == 1)

            let deleted = try await client.delete("/v1/rule-groups/stateful/web")
            #expect(deleted.status == 200)
            #expect(deleted.string("RuleGroupResponse.RuleGroupStatus") == "DELETING")
            #expect(try await client.get("/v1/rule-groups/stateful/web").status == 404)
        }
    }

    @Test func staleTokenIsRefusedAndNothingChanges() async throws {
        try await APIHarness().test { client in
            try await client.createStatefulGroup("g", rules: "alert ip any any -> any any (sid:1;)")
            let response = try await client.put("/v1/rule-groups/stateful/g", #"{"UpdateToken": "00000000-0000-0000-0000-000000000000", "Rules": "drop ip any any -> any any (sid:9;)"}"#)
            #expect(response.status == 409)
            #expect(response.errorType == "InvalidTokenException")
            let described = try await client.get("/v1/rule-groups/stateful/g")
            #expect(described.string("RuleGroup.RulesSource.RulesString") == "alert ip any any -> any any (sid:1;)")
        }
    }

    @Test func unparsableRuleNamesLineAndColumnAndCreatesNothing() async throws {
        try await APIHarness().test { client in
            let response = try await client.post("/v1/rule-groups", #"{"RuleGroupName": "bad", "Type": "STATEFUL", "Capacity": 10, "Rules": "alert ip any any -> any any (sid:1;)\ndrop tcp any any -> any 22 (msg:\"ssh\"; sid:7; bogus:1;)"}"#)
            #expect(response.status == 400)
            #expect(response.errorType == "InvalidRequestException")
            #expect(response.message.contains("line 2"))
            #expect(response.message.contains("column"))
            #expect(response.message.contains("bogus"))
            #expect(try await client.get("/v1/rule-groups/stateful/bad").status == 404)
        }
    }

    @Test func capacityIsEnforced() async throws {
        try await APIHarness().test { client in
            let over = try await client.post("/v1/rule-groups", #"{"RuleGroupName": "small", "Type": "STATEFUL", "Capacity": 1, "Rules": "alert ip any any -> any any (sid:1;)\nalert ip any any -> any any (sid:2;)"}"#)
            #expect(over.status == 400)
            #expect(over.message.contains("Capacity"))
            let tooLarge = try await client.post("/v1/rule-groups", #"{"RuleGroupName": "huge", "Type": "STATEFUL", "Capacity": 40000, "Rules": "alert ip any any -> any any (sid:1;)"}"#)
            #expect(tooLarge.status == 400)
            #expect(tooLarge.message.contains("capacity exceeded"))
            try await client.createStatefulGroup("one", rules: "alert ip any any -> any any (sid:1;)", capacity: 1)
            let token = try #require(try await client.get("/v1/rule-groups/stateful/one").string("UpdateToken"))
            let grow = try await client.put("/v1/rule-groups/stateful/one", #"{"UpdateToken": "\#(token)", "Rules": "alert ip any any -> any any (sid:1;)\nalert ip any any -> any any (sid:2;)"}"#)
            #expect(grow.status == 400)
            #expect(try await client.get("/v1/rule-groups/stateful/one").string("UpdateToken") == token)
        }
    }

    @Test func statelessCapacityAndValidation() async throws {
        try await APIHarness().test { client in
            let body = #"""
            {"RuleGroupName": "sl", "Type": "STATELESS", "Capacity": 100, "RuleGroup": {"RulesSource": {"StatelessRulesAndCustomActions": {
              "StatelessRules": [
                {"Priority": 10, "RuleDefinition": {"Actions": ["aws:drop"], "MatchAttributes": {"Protocols": [17, 6], "Sources": [{"AddressDefinition": "10.0.0.0/8"}, {"AddressDefinition": "10.1.0.0/16"}, {"AddressDefinition": "192.0.2.1/32"}]}}},
                {"Priority": 20, "RuleDefinition": {"Actions": ["aws:pass"], "MatchAttributes": {}}}
              ]}}}}
            """#
            let created = try await client.post("/v1/rule-groups", body)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.value("RuleGroupResponse.ConsumedCapacity") as? Int == 7)

            let duplicate = try await client.post("/v1/rule-groups", body.replacingOccurrences(of: "\"sl\"", with: "\"dup\"").replacingOccurrences(of: "\"Priority\": 20", with: "\"Priority\": 10"))
            #expect(duplicate.status == 400)
            #expect(duplicate.message.contains("Priority has duplicate values"))

            let twoActions = try await client.post("/v1/rule-groups", body.replacingOccurrences(of: "\"sl\"", with: "\"two\"").replacingOccurrences(of: "[\"aws:drop\"]", with: "[\"aws:drop\", \"aws:pass\"]"))
            #expect(twoActions.status == 400)

            let badCIDR = try await client.post("/v1/rule-groups", body.replacingOccurrences(of: "\"sl\"", with: "\"cidr\"").replacingOccurrences(of: "10.1.0.0/16", with: "10.1.0.0/33"))
            #expect(badCIDR.status == 400)
            #expect(badCIDR.message.contains("10.1.0.0/33"))
        }
    }

    @Test func listPages() async throws {
        try await APIHarness().test { client in
            for name in ["a", "b", "c"] {
                try await client.createStatefulGroup(name, rules: "alert ip any any -> any any (sid:1;)")
            }
            let first = try await client.get("/v1/rule-groups?MaxResults=2")
            #expect((first.value("RuleGroups") as? [Any])?.count == 2)
            let next = try #require(first.string("NextToken"))
            let second = try await client.get("/v1/rule-groups?MaxResults=2&NextToken=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? next)")
            #expect((second.value("RuleGroups") as? [Any])?.count == 1)
            #expect(second.string("RuleGroups.0.Name") == "c")
            #expect(second.value("NextToken") == nil)
            #expect(try await client.get("/v1/rule-groups?MaxResults=0").status == 400)
        }
    }

    @Test func duplicateNameIsRefused() async throws {
        try await APIHarness().test { client in
            try await client.createStatefulGroup("same", rules: "alert ip any any -> any any (sid:1;)")
            let again = try await client.post("/v1/rule-groups", #"{"RuleGroupName": "same", "Type": "STATEFUL", "Capacity": 10, "Rules": "alert ip any any -> any any (sid:1;)"}"#)
            #expect(again.status == 400)
            #expect(again.errorType == "InvalidRequestException")
        }
    }

    @Test func dryRunCreatesNothing() async throws {
        try await APIHarness().test { client in
            let response = try await client.post("/v1/rule-groups", #"{"RuleGroupName": "dry", "Type": "STATEFUL", "Capacity": 10, "DryRun": true, "Rules": "alert ip any any -> any any (sid:1;)"}"#)
            #expect(response.status == 200)
            #expect(response.value("RuleGroupResponse.ConsumedCapacity") as? Int == 1)
            #expect(try await client.get("/v1/rule-groups/stateful/dry").status == 404)
        }
    }
}
