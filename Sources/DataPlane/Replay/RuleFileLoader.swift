import Rules

/// Loads a Suricata rules file the way Suricata does: each rule on its own (a `\` at the end of a line
/// continues it), a rule that cannot be loaded is refused with its reason and the others still load.
enum RuleFileLoader {
    struct Loaded {
        var rules: [Rule] = []
        /// `line N (sid S): reason`.
        var refused: [String] = []
    }

    static func load(_ text: String) -> Loaded {
        var loaded = Loaded()
        var pending = ""
        var pendingLine = 0
        var sids: Set<Int> = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            if pending.isEmpty {
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                pendingLine = offset + 1
            }
            if line.hasSuffix("\\") {
                pending += line.dropLast()
                continue
            }
            pending += line
            let ruleText = pending
            pending = ""
            do throws(RuleError) {
                let rule = try RulesParser.parseRule(ruleText, line: pendingLine, variables: .defaults)
                guard sids.insert(rule.sid).inserted else {
                    loaded.refused.append("line \(pendingLine) (sid \(rule.sid)): duplicate sid")
                    continue
                }
                loaded.rules.append(rule)
            } catch {
                let sid = error.sid.map { " (sid \($0))" } ?? ""
                loaded.refused.append("line \(pendingLine)\(sid), column \(error.column): \(error.message)")
            }
        }
        return loaded
    }
}
