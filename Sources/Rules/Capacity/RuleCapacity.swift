public import Shared

/// The capacity rule groups consume, as AWS Network Firewall counts it (reference §10).
public enum RuleCapacity {
    /// Stateless: per rule, the product over Sources, Destinations, SourcePorts, DestinationPorts, Protocols
    /// and TCPFlags of `max(1, number of entries)`, summed over the rules.
    public static func stateless(_ rules: [StatelessRule]) -> Int {
        rules.reduce(0) { total, rule in
            let match = rule.RuleDefinition.MatchAttributes
            let counts = [
                match.Sources?.count, match.Destinations?.count, match.SourcePorts?.count,
                match.DestinationPorts?.count, match.Protocols?.count, match.TCPFlags?.count,
            ]
            return total + counts.reduce(1) { product, count in product * max(1, count ?? 0) }
        }
    }

    /// Stateful: one per rule line of a `RulesString` (neither blank nor a comment), one per `StatefulRules`
    /// entry; a domain list consumes (targets × target types) + target types. Stateless rules in the
    /// source count nothing here.
    public static func stateful(_ source: RulesSource) -> Int {
        var total = 0
        if let rulesString = source.RulesString { total += RulesParser.ruleLineCount(rulesString) }
        if let statefulRules = source.StatefulRules { total += statefulRules.count }
        if let list = source.RulesSourceList { total += domainList(list) }
        return total
    }

    /// A domain list: (targets × target types) + target types, AWS's count as measured (reference §10.2):
    /// one generated rule per target and protocol plus one per protocol (an allow list's default drop),
    /// so a 100-capacity group holds 99 domains for `HTTP_HOST` alone.
    public static func domainList(_ list: RulesSourceList) -> Int {
        list.Targets.count * list.TargetTypes.count + list.TargetTypes.count
    }
}
