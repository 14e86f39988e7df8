extension DataAtCheck {
    /// Reads an `isdataat` option value: `[!]N[,relative][,rawbytes]`, N from 0 to 65535 (Suricata reads
    /// a 16-bit number). `rawbytes` has no effect. `byte_extract` variable names are refused. Errors have
    /// column 0; the caller adds the option's position.
    static func parse(_ text: String) throws(RuleError) -> DataAtCheck {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { PayloadText.trimmed($0) }
        var position = parts[0]
        var negated = false
        if position.first == "!" {
            negated = true
            position = PayloadText.trimmed(position.dropFirst())
        }
        guard let number = Int(position), (0...65535).contains(number) else {
            let hint = position.first?.isLetter == true ? "; byte_extract variables are not supported" : " (0-65535)"
            throw RuleError(code: .invalidValue, message: "invalid isdataat position '\(position)'\(hint)")
        }
        var check = DataAtCheck(position: number, negated: negated)
        for option in parts.dropFirst() {
            switch option.lowercased() {
            case "relative": check.relative = true
            case "rawbytes": break
            default:
                throw RuleError(code: .invalidValue, message: "unknown isdataat option '\(option)' (relative or rawbytes)")
            }
        }
        return check
    }

    /// Whether the check holds on a buffer of `length` bytes whose previous match ended at `previousEnd`,
    /// as Suricata's inspection reads it: absolute, there is a byte at `position` (`position < length`);
    /// relative, `previousEnd + position <= length` — one byte more lenient, so `isdataat:!1,relative`
    /// means "the previous match ends the buffer" (see Suricata's user guide, "absolute vs relative").
    func holds(length: Int, previousEnd: Int) -> Bool {
        let present = relative ? previousEnd + position <= length : position < length
        return present != negated
    }
}
