import Foundation
import HTTPTypes
import Shared
import Testing

@testable import ControlPlane

@Suite("Authentication")
struct AuthenticationTests {
    @Test func healthNeedsNoToken() async throws {
        try await APIHarness().test { client in
            let response = try await client.send(.get, "/healthz", token: nil)
            #expect(response.status == 200)
            #expect(response.string("status") == "ok")
        }
    }

    @Test(arguments: [nil, "wrong-token", ""])
    func v1RequiresTheAdminToken(token: String?) async throws {
        try await APIHarness().test { client in
            let response = try await client.send(.get, "/v1/firewalls", token: token)
            #expect(response.status == 401)
            #expect(response.errorType == (token == nil ? "MissingAuthenticationTokenException" : "UnrecognizedClientException"))
            #expect(!response.message.isEmpty)
        }
    }

    @Test func unauthenticatedWriteChangesNothing() async throws {
        try await APIHarness().test { client in
            let response = try await client.send(.post, "/v1/rule-groups", json: #"{"RuleGroupName": "x", "Type": "STATEFUL", "Capacity": 1, "Rules": "pass ip any any -> any any (sid:1;)"}"#, token: nil)
            #expect(response.status == 401)
            #expect(try await client.get("/v1/rule-groups/stateful/x").status == 404)
        }
    }

    @Test func unknownRouteIsNotFoundInTheErrorShape() async throws {
        try await APIHarness().test { client in
            let response = try await client.get("/v1/nothing-here")
            #expect(response.status == 404)
            #expect(response.errorType == "ResourceNotFoundException")
        }
    }

    @Test func tokenComparisonIsExact() {
        let token = AdminToken(value: String(repeating: "x", count: 40))
        #expect(token.matches(String(repeating: "x", count: 40)))
        #expect(!token.matches(String(repeating: "x", count: 39)))
        #expect(!token.matches(String(repeating: "x", count: 41)))
        #expect(!token.matches(String(repeating: "x", count: 39) + "y"))
    }
}
