/// Parses one rule line: the seven header fields, then the options, tracking columns (1-based, in
/// Unicode scalars) so that every error points at its token.
struct LineParser {
    let text: [Unicode.Scalar]
    let line: Int
    let variables: VariableScope
    /// Whether to refuse rules longer than `RulesParser.maximumRuleLength` once expanded.
    let checksLength: Bool
    /// Column of the sid value, once read.
    private(set) var sidColumn = 0
    /// Characters added to the line by expanding variables.
    private var expansionGrowth = 0

    private static let fieldNames = [
        "action", "protocol", "source address", "source port", "direction", "destination address", "destination port",
    ]

    init(text: [Unicode.Scalar], line: Int, variables: VariableScope, checksLength: Bool = true) {
        self.text = text
        self.line = line
        self.variables = variables
        self.checksLength = checksLength
    }

    /// The rule, or the first error with this line, the rule text and the sid when it can be read.
    mutating func parse() throws(RuleError) -> Rule {
        do throws(RuleError) {
            return try parseRule()
        } catch {
            var error = error
            error.line = line
            error.rule = String(text[...])
            if error.sid == nil { error.sid = LineParser.quickSid(text) }
            throw error
        }
    }

    private mutating func parseRule() throws(RuleError) -> Rule {
        // Header tokens: split on blanks outside brackets, up to the `(` that opens the options.
        var tokens: [Range<Int>] = []
        var optionsOpen: Int?
        var depth = 0
        var tokenStart: Int?
        var index = 0
        while index < text.count {
            let character = text[index]
            if character == "[" { depth += 1 } else if character == "]" { depth -= 1 }
            if depth <= 0, character == "(" || character.isRuleSpace {
                if let start = tokenStart { tokens.append(start..<index) }
                tokenStart = nil
                if character == "(" {
                    optionsOpen = index
                    break
                }
            } else if tokenStart == nil {
                tokenStart = index
            }
            index += 1
        }
        if let start = tokenStart { tokens.append(start..<index) }

        let endOfHeader = (optionsOpen ?? text.count) + 1
        func field(_ number: Int) throws(RuleError) -> Range<Int> {
            guard number < tokens.count else {
                throw RuleError(
                    code: .syntax, message: "incomplete rule header: missing the \(LineParser.fieldNames[number])", column: endOfHeader
                )
            }
            return tokens[number]
        }

        let actionRange = try field(0)
        let actionText = String(text[actionRange])
        guard let action = RuleAction(rawValue: actionText.lowercased()) else {
            throw RuleError(
                code: .unsupportedAction, message: "action '\(actionText)' is not supported (use pass, drop, reject or alert)",
                column: actionRange.lowerBound + 1
            )
        }
        let protocolRange = try field(1)
        let protocolText = String(text[protocolRange])
        guard let proto = RuleProtocol(rawValue: protocolText.lowercased()) else {
            throw RuleError(
                code: .unsupportedProtocol,
                message: "protocol '\(protocolText)' is not supported (use ip, ipv4, ipv6, tcp, tcp-pkt, tcp-stream, udp, icmp, http, tls or dns)",
                column: protocolRange.lowerBound + 1
            )
        }
        let source = try parseAddress(try field(2))
        let sourcePort = try parsePort(try field(3))
        let directionRange = try field(4)
        let directionText = String(text[directionRange])
        guard let direction = RuleDirection(rawValue: directionText) else {
            throw RuleError(
                code: .syntax, message: "invalid direction '\(directionText)' (use '->' or '<>')", column: directionRange.lowerBound + 1
            )
        }
        let destination = try parseAddress(try field(5))
        let destinationPort = try parsePort(try field(6))
        if tokens.count > 7 {
            throw RuleError(
                code: .syntax, message: "unexpected '\(String(text[tokens[7]]))' after the destination port",
                column: tokens[7].lowerBound + 1
            )
        }
        guard let open = optionsOpen else {
            throw RuleError(code: .syntax, message: "missing rule options: expected '(' after the destination port", column: text.count + 1)
        }
        let expandedLength = text.count + expansionGrowth
        if checksLength, expandedLength > RulesParser.maximumRuleLength {
            throw RuleError(
                code: .ruleTooLong,
                message: "rule is \(expandedLength) characters long with its variables expanded (maximum \(RulesParser.maximumRuleLength))",
                column: 1
            )
        }

        // Options: from `(` to the last `)` of the line.
        var close = text.count - 1
        while close > open, text[close].isRuleSpace { close -= 1 }
        guard close > open, text[close] == ")" else {
            if let lastParen = text.lastIndex(of: ")"), lastParen > open {
                var after = lastParen + 1
                while after < text.count, text[after].isRuleSpace { after += 1 }
                throw RuleError(
                    code: .syntax, message: "unexpected '\(String(text[after...]))' after the rule options", column: after + 1
                )
            }
            throw RuleError(code: .syntax, message: "missing ')' at the end of the rule options", column: text.count + 1)
        }
        var options = OptionsBuilder()
        try parseOptions(open + 1..<close, into: &options)
        guard let sid = options.sid else {
            throw RuleError(code: .missingSid, message: "rule has no sid", column: open + 1)
        }
        sidColumn = options.sidColumn
        let header = RuleHeader(
            proto: proto, source: source, sourcePort: sourcePort, direction: direction,
            destination: destination, destinationPort: destinationPort
        )
        let inspections: [BufferInspection]
        do throws(RuleError) {
            inspections = try options.payload.finish(flow: options.flow)
        } catch {
            var error = error
            if error.column == 0 { error.column = open + 1 }
            throw error
        }
        try LineParser.checkProtocol(header.proto, inspections: inspections, column: protocolRange.lowerBound + 1)
        return Rule(
            action: action, header: header, sid: sid, gid: options.gid ?? 1, rev: options.rev ?? 0,
            message: options.message, classtype: options.classtype, priority: options.priority, flow: options.flow,
            metadata: options.metadata, references: options.references, inspections: inspections,
            packet: options.packet, flowbits: options.flowbits, appLayerProtocol: options.appLayerProtocol,
            tlsVersion: options.tlsVersion, sslState: options.sslState, noalert: options.noalert, renderedOptions: options.rendered, line: line
        )
    }

    /// A rule's sticky buffers must belong to its header's application protocol (an `http` rule cannot
    /// inspect `tls.sni`); on `tcp`/`udp`/`ip` rules they imply their protocol.
    private static func checkProtocol(_ proto: RuleProtocol, inspections: [BufferInspection], column: Int) throws(RuleError) {
        var implied: AppProtocol?
        for inspection in inspections {
            guard let app = inspection.buffer.appProtocol else { continue }
            if let required = proto.appProtocol, required != app {
                throw RuleError(
                    code: .invalidValue,
                    message: "buffer '\(inspection.buffer.rawValue)' is \(app.rawValue), but the rule's protocol is \(proto.rawValue)",
                    column: column
                )
            }
            if let implied, implied != app {
                throw RuleError(
                    code: .invalidValue,
                    message: "the rule inspects both \(implied.rawValue) and \(app.rawValue) buffers", column: column
                )
            }
            implied = app
            if proto == .icmp || proto == .icmpv4 || proto == .icmpv6 || (proto == .udp && app != .dns) {
                throw RuleError(
                    code: .invalidValue,
                    message: "buffer '\(inspection.buffer.rawValue)' cannot be inspected on a \(proto.rawValue) rule", column: column
                )
            }
        }
    }

    private mutating func parseAddress(_ range: Range<Int>) throws(RuleError) -> AddressExpression {
        var parser = ExpressionParser<AddressExpression>(text: text, range: range)
        let scope = variables
        let expression = try parser.parse { name, column throws(RuleError) in try scope.address(name, column: column) }
        expansionGrowth += parser.expansionGrowth
        return expression
    }

    private mutating func parsePort(_ range: Range<Int>) throws(RuleError) -> PortExpression {
        var parser = ExpressionParser<PortExpression>(text: text, range: range)
        let scope = variables
        let expression = try parser.parse { name, column throws(RuleError) in try scope.port(name, column: column) }
        expansionGrowth += parser.expansionGrowth
        return expression
    }

    /// Splits `keyword[:value]` options on unescaped `;` (a trailing `;` before `)` is optional) and hands
    /// each to the keyword registry.
    private func parseOptions(_ body: Range<Int>, into options: inout OptionsBuilder) throws(RuleError) {
        var index = body.lowerBound
        let end = body.upperBound
        while true {
            while index < end, text[index].isRuleSpace { index += 1 }
            guard index < end else { return }
            let keywordStart = index
            while index < end, text[index] != ":", text[index] != ";", !text[index].isRuleSpace { index += 1 }
            let keyword = String(text[keywordStart..<index])
            guard !keyword.isEmpty else {
                throw RuleError(code: .syntax, message: "expected an option keyword, found '\(text[index])'", column: index + 1)
            }
            guard keyword.unicodeScalars.allSatisfy(\.isKeywordCharacter) else {
                throw RuleError(code: .syntax, message: "invalid option keyword '\(keyword)'", column: keywordStart + 1)
            }
            while index < end, text[index].isRuleSpace { index += 1 }
            var value: OptionValue?
            if index < end, text[index] == ":" {
                index += 1
                while index < end, text[index].isRuleSpace { index += 1 }
                let valueStart = index
                while index < end, text[index] != ";" {
                    index += text[index] == "\\" && index + 1 < end ? 2 : 1
                }
                var valueEnd = index
                while valueEnd > valueStart, text[valueEnd - 1].isRuleSpace { valueEnd -= 1 }
                value = OptionValue(text: text[valueStart..<valueEnd], column: valueStart + 1)
            }
            if index < end {
                guard text[index] == ";" else {
                    throw RuleError(
                        code: .syntax, message: "expected ':' or ';' after option '\(keyword)', found '\(text[index])'", column: index + 1
                    )
                }
                index += 1
            }
            try options.apply(keyword: keyword, column: keywordStart + 1, value: value)
        }
    }

    /// The sid of a line that failed to parse, if a `sid:N` option can be spotted.
    static func quickSid(_ text: [Unicode.Scalar]) -> Int? {
        var index = 0
        while index + 3 <= text.count {
            defer { index += 1 }
            guard text[index] == "s", text[index + 1] == "i", text[index + 2] == "d" else { continue }
            guard index == 0 || text[index - 1] == "(" || text[index - 1] == ";" || text[index - 1].isRuleSpace else { continue }
            var cursor = index + 3
            while cursor < text.count, text[cursor].isRuleSpace { cursor += 1 }
            guard cursor < text.count, text[cursor] == ":" else { continue }
            cursor += 1
            while cursor < text.count, text[cursor].isRuleSpace { cursor += 1 }
            let digitsStart = cursor
            while cursor < text.count, ("0"..."9").contains(text[cursor]), cursor - digitsStart < 10 { cursor += 1 }
            if cursor > digitsStart, let sid = Int(String(text[digitsStart..<cursor])) { return sid }
        }
        return nil
    }
}

/// The raw text of an option's value (escapes kept) and the column where it starts.
struct OptionValue {
    let text: ArraySlice<Unicode.Scalar>
    let column: Int

    /// The value with `\x` escapes of `\`, `"` and `;` resolved (other backslashes kept).
    var unescaped: String {
        OptionValue.unescape(text)
    }

    static func unescape(_ text: ArraySlice<Unicode.Scalar>) -> String {
        var out = String.UnicodeScalarView()
        var index = text.startIndex
        while index < text.endIndex {
            let scalar = text[index]
            if scalar == "\\", index + 1 < text.endIndex, ["\\", "\"", ";"].contains(text[index + 1]) {
                out.append(text[index + 1])
                index += 2
            } else {
                out.append(scalar)
                index += 1
            }
        }
        return String(out)
    }

    /// Splits on `separator` with the column of each piece (trimmed of blanks).
    func split(on separator: Unicode.Scalar) -> [OptionValue] {
        var pieces: [OptionValue] = []
        var start = text.startIndex
        var index = text.startIndex
        while index <= text.endIndex {
            if index == text.endIndex || text[index] == separator {
                var low = start
                var high = index
                while low < high, text[low].isRuleSpace { low += 1 }
                while high > low, text[high - 1].isRuleSpace { high -= 1 }
                pieces.append(OptionValue(text: text[low..<high], column: column + (low - text.startIndex)))
                start = index + 1
            }
            index += 1
        }
        return pieces
    }
}

extension Unicode.Scalar {
    /// `[A-Za-z0-9_.-]`: the characters of an option keyword (`msg`, `tls.sni`, `detection_filter`).
    var isKeywordCharacter: Bool {
        isVariableNameCharacter || self == "." || self == "-"
    }
}
