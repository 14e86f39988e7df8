extension NumericCondition {
    /// Reads an integer condition as Suricata's integer keywords (`bsize`, `dsize`, `ttl`, …) write it:
    /// `N` or `=N` (equal), `!N` or `!=N`, `<N`, `<=N`, `>N`, `>=N`, and the exclusive ranges `N-M` and
    /// `N<>M` (N < M required). Numbers are decimal or `0x` hexadecimal; spaces are allowed around
    /// operators and numbers. The caller checks the keyword's own bounds (`ttl` fits in 8 bits, …).
    /// Errors have column 0 and do not name the keyword; the caller adds both.
    static func parse(_ text: String) throws(RuleError) -> NumericCondition {
        let value = PayloadText.trimmed(Substring(text))
        let prefixes: [(String, Operator)] = [
            ("<=", .lessOrEqual), (">=", .greaterOrEqual), ("!=", .notEqual), ("<", .less), (">", .greater), ("!", .notEqual), ("=", .equal),
        ]
        for (prefix, op) in prefixes where value.hasPrefix(prefix) && !(prefix == "<" && value.hasPrefix("<>")) {
            return NumericCondition(op, try number(value.dropFirst(prefix.count), in: text))
        }
        if let separator = value.firstRange(of: "<>") ?? rangeDash(in: value) {
            let lower = try number(value[..<separator.lowerBound], in: text)
            let upper = try number(value[separator.upperBound...], in: text)
            guard lower < upper else {
                throw RuleError(code: .invalidValue, message: "range '\(text)' needs its lower bound below its upper bound")
            }
            return NumericCondition(.range, lower, upper: upper)
        }
        return NumericCondition(.equal, try number(value, in: text))
    }

    /// The `-` of `N-M`: one after a digit.
    private static func rangeDash(in value: Substring) -> Range<Substring.Index>? {
        guard let dash = value.firstIndex(of: "-"), dash != value.startIndex else { return nil }
        return dash..<value.index(after: dash)
    }

    private static func number(_ text: Substring, in whole: String) throws(RuleError) -> UInt64 {
        let text = PayloadText.trimmed(text)
        let parsed = text.hasPrefix("0x") || text.hasPrefix("0X") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text, radix: 10)
        guard let parsed else {
            throw RuleError(code: .invalidValue, message: "'\(text)' is not a number in '\(whole)'")
        }
        return parsed
    }
}
