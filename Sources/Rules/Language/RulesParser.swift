/// Parses Suricata rules text into `Rule`s, refusing the first mistake with its line, column and sid.
///
/// The language is the subset AWS Network Firewall accepts, growing issue by issue: a header
/// `action proto src sport direction dst dport` and options `(keyword:value; keyword; …)`. Keywords come
/// from one registry (`RuleKeywords`); a keyword Rampart does not know is an error, never ignored, so a
/// rule never silently matches more than its author wrote.
public enum RulesParser {
    /// The longest rule, in characters, once its variables are expanded (AWS's limit).
    public static let maximumRuleLength = 8192

    /// Parses a rules string: one rule per line; blank lines and lines whose first non-blank character is
    /// `#` are skipped. Sids must be unique within the string. Throws the first error.
    public static func parse(_ rulesString: String, variables: VariableScope) throws(RuleError) -> [Rule] {
        var rules: [Rule] = []
        var lineOfSid: [Int: Int] = [:]
        for line in RuleLines(rulesString) {
            var parser = LineParser(text: line.text, line: line.number, variables: variables)
            let rule = try parser.parse()
            if let first = lineOfSid[rule.sid] {
                throw RuleError(
                    code: .duplicateSid, message: "duplicate sid \(rule.sid) (already used on line \(first))",
                    line: line.number, column: parser.sidColumn, sid: rule.sid, rule: String(line.text[...])
                )
            }
            lineOfSid[rule.sid] = line.number
            rules.append(rule)
        }
        return rules
    }

    /// Parses one rule; `line` is reported in errors and stored in the rule.
    public static func parseRule(_ text: String, line: Int = 1, variables: VariableScope) throws(RuleError) -> Rule {
        try parseRule(text, line: line, variables: variables, checksLength: true)
    }

    /// `checksLength` false is for rules already accepted by the control plane (a snapshot's canonical text,
    /// whose normalized spelling may differ in length from what the user wrote).
    static func parseRule(_ text: String, line: Int, variables: VariableScope, checksLength: Bool) throws(RuleError) -> Rule {
        var scalars = Array(text.unicodeScalars)
        while let last = scalars.last, last == "\n" || last == "\r" { scalars.removeLast() }
        if scalars.contains("\n") {
            throw RuleError(code: .syntax, message: "a rule must be on one line", line: line, column: 1, rule: text)
        }
        var parser = LineParser(text: scalars, line: line, variables: variables, checksLength: checksLength)
        return try parser.parse()
    }

    /// The number of rule lines (neither blank nor comments) in a rules string.
    public static func ruleLineCount(_ rulesString: String) -> Int {
        var count = 0
        for _ in RuleLines(rulesString) { count += 1 }
        return count
    }
}

/// The rule lines of a rules string with their 1-based numbers; `\n` or `\r\n` separated; blank and
/// comment lines skipped.
struct RuleLines: Sequence, IteratorProtocol {
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var number = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    mutating func next() -> (number: Int, text: [Unicode.Scalar])? {
        while position <= scalars.count {
            let start = position
            var end = start
            while end < scalars.count, scalars[end] != "\n" { end += 1 }
            position = end + 1
            number += 1
            var lineEnd = end
            if lineEnd > start, scalars[lineEnd - 1] == "\r" { lineEnd -= 1 }
            var first = start
            while first < lineEnd, scalars[first].isRuleSpace || scalars[first] == "\r" { first += 1 }
            if first == lineEnd || scalars[first] == "#" { continue }
            return (number, Array(scalars[start..<lineEnd]))
        }
        return nil
    }
}
