import Rules
import Shared
import Testing

/// Parses a rules string that must hold exactly one rule.
func parseOne(_ text: String, variables: VariableScope = .defaults) throws -> Rule {
    let rules = try RulesParser.parse(text, variables: variables)
    try #require(rules.count == 1)
    return rules[0]
}

/// The error a rules string is refused with, or nil (and a failed expectation) when it parses.
func parseError(_ text: String, variables: VariableScope = .defaults, sourceLocation: SourceLocation = #_sourceLocation) -> RuleError? {
    do {
        let rules = try RulesParser.parse(text, variables: variables)
        Issue.record("expected an error, parsed \(rules.count) rule(s)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

func cidr(_ text: String) -> AddressExpression {
    .network(CIDR(text)!)
}

func ip(_ text: String) -> IPAddress {
    IPAddress(text)!
}
