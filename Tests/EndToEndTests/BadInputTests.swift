import Foundation
import Shared
import Testing

extension EndToEnd {
    /// Bad input over real HTTP: each request gets its 4xx and an error body, and nothing changes.
    @Suite("Bad input")
    struct BadInput {
        /// One bad request and what it must get back.
        struct Case: CustomStringConvertible {
            var description: String
            var method: String
            var path: String
            var body: Data?
            var authorization: APIClient.Authorization = .adminToken
            /// The statuses that fit.
            var statuses: Set<Int>
            /// The `__type` required, or `nil` for any non-empty one.
            var type: String?
            /// More to check in the message.
            var message: (@Sendable (String) -> Bool)? = nil
        }

        static let valid = #"drop tcp any any -> any 8080 (msg:"block 8080"; sid:1;)"#
        static let updated = #"drop tcp any any -> any 8081 (msg:"block 8081"; sid:1;)"#

        static func json(_ object: [String: Any]) -> Data {
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        }

        @Test("(f) malformed JSON, wrong types, an oversized body, a bad rule, exceeded capacity, a stale or missing token: 4xx, error body, nothing changed")
        func badInputIsRefused() async throws {
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run { fixture in
                let api = fixture.api
                let created = try await fixture.createStatefulRuleGroup(name: "web", rules: Self.valid, capacity: 10)
                let staleToken = created.UpdateToken
                // A valid update, so that the creation's token is stale.
                try await api.send(
                    "PUT", "/v1/rule-groups/stateful/web",
                    json: UpdateRuleGroupRequest(UpdateToken: staleToken, RuleGroup: RuleGroup(RulesSource: RulesSource(RulesString: Self.updated)))
                ).expect(200)
                let baseline = try await api.get("/v1/rule-groups/stateful/web", as: RuleGroupOutput.self)
                try #require(baseline.UpdateToken != staleToken, "an update issues a new UpdateToken")

                let group: [String: Any] = ["RulesSource": ["RulesString": Self.valid]]
                let elevenRules = (1...11).map { #"drop tcp any any -> any \#(9000 + $0) (msg:"r\#($0)"; sid:\#($0);)"# }.joined(separator: "\n")
                let cases: [Case] = [
                    Case(
                        description: "malformed JSON on create", method: "POST", path: "/v1/rule-groups",
                        body: Data(#"{"RuleGroupName": "bad", "Type": "STATEFUL","#.utf8), statuses: [400], type: "InvalidRequestException"
                    ),
                    Case(
                        description: "malformed JSON on update", method: "PUT", path: "/v1/rule-groups/stateful/web",
                        body: Data(#"{"UpdateToken": "#.utf8), statuses: [400], type: "InvalidRequestException"
                    ),
                    Case(
                        description: "a string where Capacity is a number", method: "POST", path: "/v1/rule-groups",
                        body: Self.json(["RuleGroupName": "bad", "Type": "STATEFUL", "Capacity": "ten", "RuleGroup": group]),
                        statuses: [400], type: "InvalidRequestException", message: { $0.contains("Capacity") }
                    ),
                    Case(
                        description: "a number where RulesString is a string", method: "PUT", path: "/v1/rule-groups/stateful/web",
                        body: Self.json(["UpdateToken": baseline.UpdateToken, "RuleGroup": ["RulesSource": ["RulesString": 42]]]),
                        statuses: [400], type: "InvalidRequestException"
                    ),
                    Case(
                        description: "a body over the 8 MiB limit", method: "POST", path: "/v1/rule-groups",
                        body: Self.json([
                            "RuleGroupName": "bad", "Type": "STATEFUL", "Capacity": 10,
                            "RuleGroup": ["RulesSource": ["RulesString": "# " + String(repeating: "x", count: 8 * 1024 * 1024)]],
                        ]),
                        statuses: [413], type: nil
                    ),
                    Case(
                        description: "an unparsable rule on line 2", method: "POST", path: "/v1/rule-groups",
                        body: Self.json([
                            "RuleGroupName": "bad", "Type": "STATEFUL", "Capacity": 10,
                            "RuleGroup": ["RulesSource": ["RulesString": Self.valid + "\n" + #"alert tcp any any -> (msg:"broken"; sid:2;)"#]],
                        ]),
                        statuses: [400], type: "InvalidRequestException",
                        message: { message in
                            message.range(of: #"line\W*2\b"#, options: [.regularExpression, .caseInsensitive]) != nil
                                && message.range(of: #"col(umn)?\W*\d+"#, options: [.regularExpression, .caseInsensitive]) != nil
                        }
                    ),
                    Case(
                        description: "two rules in a group of capacity 1", method: "POST", path: "/v1/rule-groups",
                        body: Self.json([
                            "RuleGroupName": "bad", "Type": "STATEFUL", "Capacity": 1,
                            "RuleGroup": ["RulesSource": ["RulesString": Self.valid + "\n" + Self.updated.replacingOccurrences(of: "sid:1", with: "sid:2")]],
                        ]),
                        statuses: [400], type: "InvalidRequestException"
                    ),
                    Case(
                        description: "eleven rules in an update of a group of capacity 10", method: "PUT", path: "/v1/rule-groups/stateful/web",
                        body: Self.json(["UpdateToken": baseline.UpdateToken, "RuleGroup": ["RulesSource": ["RulesString": elevenRules]]]),
                        statuses: [400], type: "InvalidRequestException"
                    ),
                    Case(
                        description: "a stale UpdateToken", method: "PUT", path: "/v1/rule-groups/stateful/web",
                        body: Self.json(["UpdateToken": staleToken, "RuleGroup": ["RulesSource": ["RulesString": Self.valid]]]),
                        statuses: [400, 409], type: "InvalidTokenException"
                    ),
                    Case(
                        description: "an update without UpdateToken", method: "PUT", path: "/v1/rule-groups/stateful/web",
                        body: Self.json(["RuleGroup": ["RulesSource": ["RulesString": Self.valid]]]),
                        statuses: [400], type: "InvalidRequestException"
                    ),
                    Case(
                        description: "no Authorization header", method: "POST", path: "/v1/rule-groups",
                        body: Self.json(["RuleGroupName": "bad", "Type": "STATEFUL", "Capacity": 10, "RuleGroup": group]),
                        authorization: .none, statuses: [401], type: nil
                    ),
                    Case(
                        description: "a wrong bearer token", method: "PUT", path: "/v1/rule-groups/stateful/web",
                        body: Self.json(["UpdateToken": baseline.UpdateToken, "RuleGroup": ["RulesSource": ["RulesString": Self.valid]]]),
                        authorization: .bearer("not-the-admin-token"), statuses: [401, 403], type: nil
                    ),
                ]

                for bad in cases {
                    let response = try await api.send(bad.method, bad.path, body: bad.body, authorization: bad.authorization)
                    #expect(bad.statuses.contains(response.status), "\(bad): status \(response.status) (curl exit \(response.curlStatus)), body \(response.text.prefix(500))")
                    guard let error = response.error else {
                        Issue.record("\(bad): the body is not {\"__type\", \"Message\"}: \(response.text.prefix(500))")
                        continue
                    }
                    #expect(!error.type.isEmpty && !error.message.isEmpty, "\(bad): \(response.text.prefix(500))")
                    if let type = bad.type {
                        #expect(error.type == type, "\(bad): \(response.text.prefix(500))")
                    }
                    if let check = bad.message {
                        #expect(check(error.message), "\(bad): the message does not say enough: \(error.message)")
                    }
                }

                let after = try await api.get("/v1/rule-groups/stateful/web", as: RuleGroupOutput.self)
                #expect(after.UpdateToken == baseline.UpdateToken, "no bad request changed the group's UpdateToken")
                #expect(after.RuleGroup?.RulesSource.RulesString == Self.updated, "no bad request changed the rules")
                #expect(after.RuleGroupResponse.Capacity == 10)
                let groups = try await api.get("/v1/rule-groups", as: ListRuleGroupsOutput.self).RuleGroups.map(\.Name)
                #expect(groups == ["web"], "no bad request created a group")
                let missing = try await api.send("GET", "/v1/rule-groups/stateful/bad")
                #expect(missing.status == 404 && missing.error?.type == "ResourceNotFoundException", "\(missing.status) \(missing.text.prefix(300))")
            }
        }
    }
}
