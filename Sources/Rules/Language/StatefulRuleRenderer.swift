public import Shared

/// Renders AWS's 5-tuple `StatefulRule` as one line of Suricata text, which then goes through
/// `RulesParser` like any `RulesString` line (so it is validated the same way).
public enum StatefulRuleRenderer {
    /// `ACTION proto src sport -> dst dport (keyword:setting1,setting2; keyword;)`: action and protocol in
    /// lower case, `ANY` as `any`, Direction FORWARD as `->` and ANY as `<>`; settings are written as given.
    public static func render(_ rule: StatefulRule) -> String {
        let header = rule.Header
        let fields = [
            rule.Action.rawValue.lowercased(),
            header.Protocol.trimmingBlanks.lowercased(),
            field(header.Source),
            field(header.SourcePort),
            header.Direction == .FORWARD ? "->" : "<>",
            field(header.Destination),
            field(header.DestinationPort),
        ]
        let options = rule.RuleOptions.map { option in
            let keyword = option.Keyword.trimmingBlanks
            guard let settings = option.Settings, !settings.isEmpty else { return keyword + ";" }
            return keyword + ":" + settings.joined(separator: ",") + ";"
        }
        return fields.joined(separator: " ") + " (" + options.joined(separator: " ") + ")"
    }

    private static func field(_ text: String) -> String {
        let trimmed = text.trimmingBlanks
        return trimmed.lowercased() == "any" ? "any" : trimmed
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmingBlanks: String {
        let scalars = unicodeScalars
        var low = scalars.startIndex
        var high = scalars.endIndex
        func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" }
        while low < high, isBlank(scalars[low]) { low = scalars.index(after: low) }
        while high > low, isBlank(scalars[scalars.index(before: high)]) { high = scalars.index(before: high) }
        return String(scalars[low..<high])
    }
}
