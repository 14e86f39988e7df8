extension PcreMatch {
    /// Reads a `pcre` option value as written in the rule: `"/foo\d+/Ri"`, `!"/x/U"`, `/one/U`.
    ///
    /// The value is `[!]"/expression/modifiers"`, the quotes optional as Suricata has them for `pcre`: the
    /// last `/` ends the expression (so `\/` inside it needs no special care), and the expression is passed
    /// to PCRE2 as written (`\;` and `\"` are PCRE escapes of the same characters). Modifiers, as Suricata
    /// reads them:
    /// - `i s m x A E G`: compile flags (caseless, dotall, multiline, extended, anchored, dollar endonly,
    ///   ungreedy), kept in `flags`;
    /// - `R`: relative to the end of the previous match;
    /// - `B` (rawbytes) and `O` (override the match limits): accepted, no effect;
    /// - HTTP buffer selectors, at most one: `U` http.uri, `I` http.uri.raw, `H` http.header,
    ///   `D` http.header.raw, `M` http.method, `C` http.cookie, `P` http.request_body,
    ///   `Q` http.response_body, `S` http.stat_code, `Y` http.stat_msg, `V` http.user_agent,
    ///   `W` http.host, `Z` http.host.raw — returned as `buffer` (nil when there is none).
    ///
    /// Suricata's capture lists after the modifiers (`"/(a+)/, flow:name"`) are accepted and ignored.
    /// The expression is not compiled here: `Regex.validate(expression:flags:)` does that. Errors have
    /// column 0; the caller adds the option's position.
    static func parse(_ text: String) throws(RuleError) -> (PcreMatch, buffer: InspectionBuffer?) {
        var value = PayloadText.trimmed(Substring(text))
        var negated = false
        if value.first == "!" {
            negated = true
            value = PayloadText.trimmed(value.dropFirst())
        }
        var inner = value
        if value.first == "\"" {
            guard value.count >= 2, value.last == "\"" else {
                throw RuleError(code: .invalidValue, message: "pcre value has no closing double quote: \(text)")
            }
            inner = value.dropFirst().dropLast()
        }
        inner = Self.droppingCaptureList(inner)
        guard inner.first == "/", let close = inner.lastIndex(of: "/"), close != inner.startIndex else {
            throw RuleError(code: .invalidValue, message: "pcre value must be /expression/modifiers: \(text)")
        }
        let expression = String(inner[inner.index(after: inner.startIndex)..<close])
        var match = PcreMatch(expression: expression, negated: negated)
        var buffer: InspectionBuffer?
        for modifier in inner[inner.index(after: close)...] {
            if Self.compileFlags.contains(modifier) {
                match.flags.insert(modifier)
                continue
            }
            switch modifier {
            case "R": match.relative = true
            case "B", "O": break
            case " ", "\t": break
            default:
                guard let selected = Self.bufferModifiers[modifier] else {
                    throw RuleError(code: .invalidValue, message: "unknown pcre modifier '\(modifier)' in \(text)")
                }
                if let buffer, buffer != selected {
                    throw RuleError(
                        code: .invalidValue,
                        message: "pcre modifiers select two buffers (\(buffer.rawValue) and \(selected.rawValue)) in \(text)"
                    )
                }
                buffer = selected
            }
        }
        return (match, buffer)
    }

    /// The modifiers that are PCRE2 compile options.
    static let compileFlags: Set<Character> = ["i", "s", "m", "x", "A", "E", "G"]

    /// The modifiers that select an HTTP buffer.
    static let bufferModifiers: [Character: InspectionBuffer] = [
        "U": .httpURI, "I": .httpRawURI, "H": .httpHeader, "D": .httpRawHeader, "M": .httpMethod,
        "C": .httpCookie, "P": .httpRequestBody, "Q": .httpResponseBody, "S": .httpStatusCode,
        "Y": .httpStatusMessage, "V": .httpUserAgent, "W": .httpHost, "Z": .httpRawHost,
    ]

    /// `/re/i, flow:a,pkt:b` → `/re/i`: cuts at the first comma that follows the modifiers and starts a
    /// `flow:`, `pkt:` or `alert:` capture name.
    private static func droppingCaptureList(_ inner: Substring) -> Substring {
        var index = inner.startIndex
        while let comma = inner[index...].firstIndex(of: ",") {
            let rest = PayloadText.trimmed(inner[inner.index(after: comma)...])
            let head = inner[..<comma]
            if rest.hasPrefix("flow:") || rest.hasPrefix("pkt:") || rest.hasPrefix("alert:"),
               let slash = head.lastIndex(of: "/"), slash != head.startIndex,
               head[head.index(after: slash)...].allSatisfy({ $0.isLetter || $0 == " " })
            {
                return head
            }
            index = inner.index(after: comma)
        }
        return inner
    }
}
