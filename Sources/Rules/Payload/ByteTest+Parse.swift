extension ByteTest {
    /// Reads a `byte_test` option value:
    /// `count, [!]operator, value, offset [, relative] [, big|little] [, string [, hex|dec|oct]] [, dce]
    /// [, bitmask N]`, as Suricata does.
    ///
    /// - `count`: 1…8 bytes, or 1…23 with `string`.
    /// - operator: `=`, `<`, `>`, `<=`, `>=`, `&` (any common bit), `^` (any differing bit); `!` negates
    ///   (`!=` and a lone `!` are "not equal").
    /// - `value` and `offset`: decimal, `0x` hexadecimal or `0`-prefixed octal (C's `strtoull`, base 0);
    ///   the offset may be negative. `byte_extract` variable names are refused (Rampart has no variables).
    /// - `string` without a base reads decimal; a base without `string` is an error, as in Suricata.
    /// - `dce` is accepted and reads big endian (Rampart has no DCE/RPC parser); like Suricata it cannot be
    ///   combined with `string`, `big` or `little`.
    /// - `bitmask N`: at most 32 bits, as in Suricata.
    ///
    /// Errors have column 0; the caller adds the option's position.
    static func parse(_ text: String) throws(RuleError) -> ByteTest {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { PayloadText.trimmed($0) }
        guard parts.count >= 4 else {
            throw invalid("byte_test needs at least count, operator, value and offset: '\(text)'")
        }
        guard let count = Int(parts[0]), count > 0 else {
            throw invalid("invalid byte_test byte count '\(parts[0])'")
        }
        var operatorText = parts[1]
        var negated = false
        if operatorText.first == "!" {
            negated = true
            operatorText = PayloadText.trimmed(operatorText.dropFirst())
        }
        let op: Operator
        if operatorText.isEmpty && negated {
            op = .equal
        } else if let known = Operator(rawValue: String(operatorText)) {
            op = known
        } else {
            throw invalid("invalid byte_test operator '\(parts[1])' (=, <, >, <=, >=, &, ^, optionally after !)")
        }
        let value = try number(parts[2], name: "value", unsigned: true)
        let offset = try number(parts[3], name: "offset", unsigned: false)
        var test = ByteTest(count: count, op: op, negated: negated, value: UInt64(bitPattern: value), offset: Int(offset))
        var isString = false
        var base: Base?
        var endianWritten = false
        var dce = false
        for option in parts.dropFirst(4) {
            let words = option.split(whereSeparator: PayloadText.isSpace)
            switch (words.first?.lowercased() ?? "", words.count) {
            case ("relative", 1): test.relative = true
            case ("big", 1): test.littleEndian = false; endianWritten = true
            case ("little", 1): test.littleEndian = true; endianWritten = true
            case ("string", 1): isString = true
            case ("hex", 1): base = .hexadecimal
            case ("dec", 1): base = .decimal
            case ("oct", 1): base = .octal
            case ("dce", 1): dce = true
            case ("bitmask", 2):
                guard let mask = PayloadText.unsigned(words[1]), mask <= UInt64(UInt32.max) else {
                    throw invalid("invalid byte_test bitmask '\(words[1])' (a 32-bit number)")
                }
                test.bitmask = mask
            default:
                throw invalid(option.isEmpty ? "empty byte_test option in '\(text)'" : "unknown byte_test option '\(option)'")
            }
        }
        if isString {
            guard count <= 23 else { throw invalid("byte_test cannot read more than 23 bytes with 'string' (got \(count))") }
            test.stringBase = base ?? .decimal
        } else {
            guard count <= 8 else { throw invalid("byte_test cannot read more than 8 bytes without 'string' (got \(count))") }
            if let base { throw invalid("byte_test base '\(base)' needs 'string'") }
        }
        if dce, isString || endianWritten {
            throw invalid("byte_test 'dce' cannot be combined with 'string', 'big' or 'little'")
        }
        return test
    }

    /// The value or the offset: a number, never a variable name.
    private static func number(_ text: Substring, name: String, unsigned: Bool) throws(RuleError) -> Int64 {
        if let first = text.first, first.isLetter {
            throw invalid("byte_test \(name) '\(text)' is a variable name; byte_extract variables are not supported")
        }
        if unsigned, let value = PayloadText.unsigned(text) { return Int64(bitPattern: value) }
        if !unsigned, let value = PayloadText.signed(text), value >= Int64(Int32.min), value <= Int64(Int32.max) { return value }
        throw invalid("invalid byte_test \(name) '\(text)'")
    }

    private static func invalid(_ message: String) -> RuleError {
        RuleError(code: .invalidValue, message: message)
    }
}
