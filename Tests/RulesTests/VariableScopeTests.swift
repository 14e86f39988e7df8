import Rules
import Shared
import Testing

@Suite("VariableScope")
struct VariableScopeTests {
    static let defaultHome = AddressExpression.list(VariableScope.defaultHomeNet.map(cidr))

    @Test func defaults() {
        #expect(VariableScope.defaults.addresses["HOME_NET"] == VariableScopeTests.defaultHome)
        #expect(VariableScope.defaults.addresses["EXTERNAL_NET"] == .negated(VariableScopeTests.defaultHome))
        #expect(VariableScope.defaults.ports.isEmpty)
        #expect(VariableScope.defaults == (try? VariableScope.make(group: nil, policy: nil)))
    }

    @Test func policyHomeNetOverridesTheDefault() throws {
        let scope = try VariableScope.make(
            group: nil, policy: PolicyVariables(RuleVariables: ["HOME_NET": IPSet(Definition: ["198.18.0.0/15"])])
        )
        #expect(scope.addresses["HOME_NET"] == .list([cidr("198.18.0.0/15")]))
        #expect(scope.addresses["EXTERNAL_NET"] == .negated(.list([cidr("198.18.0.0/15")])))
    }

    @Test func groupHomeNetWinsButExternalNetStaysThePolicys() throws {
        let scope = try VariableScope.make(
            group: RuleVariables(IPSets: ["HOME_NET": IPSet(Definition: ["10.9.0.0/16"])]),
            policy: PolicyVariables(RuleVariables: ["HOME_NET": IPSet(Definition: ["198.18.0.0/15"])])
        )
        #expect(scope.addresses["HOME_NET"] == .list([cidr("10.9.0.0/16")]))
        #expect(scope.addresses["EXTERNAL_NET"] == .negated(.list([cidr("198.18.0.0/15")])))
    }

    @Test func groupExternalNetAndReferencesBetweenVariables() throws {
        let scope = try VariableScope.make(
            group: RuleVariables(IPSets: [
                "HOME_NET": IPSet(Definition: ["10.9.0.0/16"]),
                "EXTERNAL_NET": IPSet(Definition: ["!$HOME_NET"]),
                "SERVERS": IPSet(Definition: ["[$DB, 10.9.1.0/24]"]),
                "DB": IPSet(Definition: ["10.9.2.5"]),
            ]),
            policy: nil
        )
        #expect(scope.addresses["EXTERNAL_NET"] == .list([.negated(.list([cidr("10.9.0.0/16")]))]))
        #expect(scope.addresses["SERVERS"] == .list([.list([.list([cidr("10.9.2.5/32")]), cidr("10.9.1.0/24")])]))
    }

    @Test func portSets() throws {
        let scope = try VariableScope.make(
            group: RuleVariables(PortSets: ["WEB": PortSet(Definition: ["80", "443"]), "ALL_WEB": PortSet(Definition: ["$WEB", "8080"])]),
            policy: nil
        )
        #expect(scope.ports["ALL_WEB"] == .list([.list([.range(80...80), .range(443...443)]), .range(8080...8080)]))
    }

    @Test func cycleIsAnError() throws {
        let error = try #require(#expect(throws: RuleError.self) {
            try VariableScope.make(
                group: RuleVariables(IPSets: ["A": IPSet(Definition: ["$B"]), "B": IPSet(Definition: ["[10.0.0.1,$A]"])]), policy: nil
            )
        })
        #expect(error.code == .invalidValue)
        #expect(error.message.contains("$A -> $B -> $A"), "\(error.message)")
    }

    @Test func selfReferenceIsACycle() throws {
        let error = try #require(#expect(throws: RuleError.self) {
            try VariableScope.make(group: RuleVariables(IPSets: ["HOME_NET": IPSet(Definition: ["$HOME_NET"])]), policy: nil)
        })
        #expect(error.message.contains("cycle"))
    }

    @Test func undefinedVariableInADefinition() throws {
        let error = try #require(#expect(throws: RuleError.self) {
            try VariableScope.make(group: RuleVariables(IPSets: ["A": IPSet(Definition: ["$MISSING"])]), policy: nil)
        })
        #expect(error.code == .undefinedVariable)
        #expect(error.message.contains("'A'"))
        #expect(error.message.contains("$MISSING"))
    }

    @Test(arguments: [
        RuleVariables(IPSets: ["A": IPSet(Definition: ["10.0.0.999"])]),
        RuleVariables(IPSets: ["A": IPSet(Definition: [])]),
        RuleVariables(IPSets: ["1BAD": IPSet(Definition: ["10.0.0.1"])]),
        RuleVariables(PortSets: ["P": PortSet(Definition: ["99999"])]),
        RuleVariables(PortSets: ["P": PortSet(Definition: nil)]),
    ])
    func invalidDefinitions(variables: RuleVariables) {
        #expect(throws: RuleError.self) {
            try VariableScope.make(group: variables, policy: nil)
        }
    }

    @Test func invalidPolicyHomeNet() throws {
        let error = try #require(#expect(throws: RuleError.self) {
            try VariableScope.make(group: nil, policy: PolicyVariables(RuleVariables: ["HOME_NET": IPSet(Definition: ["not-an-ip"])]))
        })
        #expect(error.code == .invalidValue)
        #expect(error.message.contains("not-an-ip"))
        #expect(error.description == error.message)
    }
}
