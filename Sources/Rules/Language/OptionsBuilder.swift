/// Collects a rule's options, validating each keyword and value as it comes, and records each option's
/// canonical spelling in written order.
struct OptionsBuilder {
    var sid: Int?
    var sidColumn = 0
    var gid: Int?
    var rev: Int?
    var message: String?
    var classtype: String?
    var priority: Int?
    var flow: FlowOptions?
    var metadata: [String] = []
    var references: [RuleReference] = []
    var packet = PacketConditions()
    var flowbits: [FlowbitOperation] = []
    var appLayerProtocol: AppLayerProtocolCondition?
    var tlsVersion: UInt16?
    var sslState: SSLStateCondition?
    var noalert = false
    /// Canonical spelling of every option, in written order.
    var rendered: [String] = []
    /// Payload and app-layer inspection lists being built.
    var payload = PayloadOptions()
    private var seen: Set<String> = []

    /// Keywords that may appear only once in a rule.
    private static let singleValued: Set<String> = [
        "msg", "sid", "rev", "gid", "classtype", "priority", "flow", "dsize", "ttl", "ip_proto", "itype", "icode",
        "flags", "seq", "ack", "window", "sameip", "app-layer-protocol", "tls.version", "noalert", "ssl_state",
    ]

    mutating func apply(keyword: String, column: Int, value: OptionValue?) throws(RuleError) {
        let name = keyword.lowercased()
        let canonicalName = name == "tcp.flags" ? "flags" : name
        if OptionsBuilder.singleValued.contains(canonicalName) {
            guard seen.insert(canonicalName).inserted else {
                throw RuleError(code: .invalidValue, message: "option '\(name)' given more than once", column: column)
            }
        }
        if try applyMetadata(name, column: column, value: value) { return }
        if try applyPacket(name, column: column, value: value) { return }
        if try payload.apply(name, column: column, value: value) {
            rendered.append(OptionsBuilder.asWritten(name, value))
            return
        }
        switch name {
        case "xbits":
            let text = value?.unescaped.lowercased() ?? ""
            for tracking in ["ip_src", "ip_dst", "ip_pair"] where text.contains(tracking) {
                throw RuleError(
                    code: .unsupportedKeyword,
                    message: "keyword 'xbits' with 'track \(tracking)' is not supported by AWS Network Firewall", column: column
                )
            }
            throw RuleError(code: .unsupportedKeyword, message: "keyword 'xbits' is not supported by Rampart", column: column)
        case "geoip":
            try OptionsBuilder.checkCountryCodes(value)
            throw RuleError(code: .unsupportedKeyword, message: "keyword 'geoip' is not supported by Rampart", column: column)
        default:
            if RuleKeywords.isUnsupported(name) {
                throw RuleError(
                    code: .unsupportedKeyword, message: "keyword '\(keyword)' is not supported by AWS Network Firewall", column: column
                )
            }
            if RuleKeywords.notImplemented.contains(name) {
                throw RuleError(code: .unsupportedKeyword, message: "keyword '\(keyword)' is not supported by Rampart", column: column)
            }
            throw RuleError(code: .unknownKeyword, message: "unknown keyword '\(keyword)'", column: column)
        }
    }

    /// `msg`, `sid`, `rev`, `gid`, `priority`, `classtype`, `metadata`, `reference`, `flow`, `target`.
    private mutating func applyMetadata(_ name: String, column: Int, value: OptionValue?) throws(RuleError) -> Bool {
        switch name {
        case "msg":
            let text = try OptionsBuilder.quotedString(try required(value, name, column), keyword: name)
            message = text
            rendered.append("msg:\"\(Rule.escape(text))\"")
        case "sid":
            let value = try required(value, name, column)
            let number = try OptionsBuilder.integer(value, keyword: name, range: 1...4_294_967_295)
            sid = number
            sidColumn = value.column
            rendered.append("sid:\(number)")
        case "rev":
            let number = try OptionsBuilder.integer(try required(value, name, column), keyword: name, range: 0...4_294_967_295)
            rev = number
            rendered.append("rev:\(number)")
        case "gid":
            let number = try OptionsBuilder.integer(try required(value, name, column), keyword: name, range: 0...4_294_967_295)
            gid = number
            rendered.append("gid:\(number)")
        case "priority":
            let number = try OptionsBuilder.integer(try required(value, name, column), keyword: name, range: 1...255)
            priority = number
            rendered.append("priority:\(number)")
        case "classtype":
            let value = try required(value, name, column)
            let text = value.unescaped
            guard Classification.priority(of: text) != nil else {
                throw RuleError(code: .invalidValue, message: "unknown classtype '\(text)'", column: value.column)
            }
            classtype = text
            rendered.append("classtype:\(text)")
        case "metadata":
            var entries: [String] = []
            for entry in try required(value, name, column).split(on: ",") {
                guard !entry.text.isEmpty else {
                    throw RuleError(code: .invalidValue, message: "empty entry in 'metadata'", column: entry.column)
                }
                entries.append(entry.unescaped)
            }
            metadata += entries
            rendered.append("metadata:" + entries.map(Rule.escape).joined(separator: ", "))
        case "reference":
            let value = try required(value, name, column)
            let text = value.text
            guard let comma = text.firstIndex(of: ",") else {
                throw RuleError(code: .invalidValue, message: "'reference' must be 'type,value'", column: value.column)
            }
            let type = text[..<comma].trimmingRuleSpaces
            let target = text[(comma + 1)...].trimmingRuleSpaces
            guard !type.isEmpty, !target.isEmpty else {
                throw RuleError(code: .invalidValue, message: "'reference' must be 'type,value'", column: value.column)
            }
            let reference = RuleReference(type: OptionValue.unescape(type), value: OptionValue.unescape(target))
            references.append(reference)
            rendered.append("reference:\(Rule.escape(reference.type)),\(Rule.escape(reference.value))")
        case "flow":
            let options = try OptionsBuilder.flowOptions(try required(value, name, column))
            flow = options
            rendered.append("flow:\(options.canonicalText)")
        case "target":
            let value = try required(value, name, column)
            guard ["src_ip", "dest_ip"].contains(value.unescaped.lowercased()) else {
                throw RuleError(code: .invalidValue, message: "invalid target '\(value.unescaped)' (use src_ip or dest_ip)", column: value.column)
            }
            rendered.append("target:\(value.unescaped.lowercased())")
        default:
            return false
        }
        return true
    }

    /// `keyword:value` with the value as written (trimmed), or the bare keyword.
    static func asWritten(_ name: String, _ value: OptionValue?) -> String {
        guard let value, !value.text.isEmpty else { return name }
        return name + ":" + String(String.UnicodeScalarView(value.text))
    }

    func required(_ value: OptionValue?, _ keyword: String, _ column: Int) throws(RuleError) -> OptionValue {
        try requiredValue(value, keyword, column)
    }
}

/// The value of an option that needs one.
func requiredValue(_ value: OptionValue?, _ keyword: String, _ column: Int) throws(RuleError) -> OptionValue {
    guard let value, !value.text.isEmpty else {
        throw RuleError(code: .invalidValue, message: "option '\(keyword)' needs a value", column: column)
    }
    return value
}

extension OptionsBuilder {
    static func integer(_ value: OptionValue, keyword: String, range: ClosedRange<Int>) throws(RuleError) -> Int {
        let text = String(value.text)
        guard !text.isEmpty, text.count <= 10, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
              let number = Int(text), range.contains(number)
        else {
            throw RuleError(
                code: .invalidValue,
                message: "invalid \(keyword) '\(text)' (expected an integer from \(range.lowerBound) to \(range.upperBound))",
                column: value.column
            )
        }
        return number
    }

    /// A `"…"` value with its escapes resolved; an unquoted value is taken as it is (unescaped).
    static func quotedString(_ value: OptionValue, keyword: String) throws(RuleError) -> String {
        let text = value.text
        guard text.first == "\"" else { return value.unescaped }
        var index = text.startIndex + 1
        var end: Int?
        while index < text.endIndex {
            if text[index] == "\\", index + 1 < text.endIndex {
                index += 2
                continue
            }
            if text[index] == "\"" {
                end = index
                break
            }
            index += 1
        }
        guard let end else {
            throw RuleError(
                code: .invalidValue,
                message: "missing closing '\"' in the value of '\(keyword)' (write ';' inside a value as '\\;')", column: value.column
            )
        }
        guard end == text.endIndex - 1 else {
            throw RuleError(
                code: .invalidValue, message: "unexpected text after the closing '\"' of '\(keyword)'",
                column: value.column + (end + 1 - text.startIndex)
            )
        }
        return OptionValue.unescape(text[(text.startIndex + 1)..<end])
    }

    static func flowOptions(_ value: OptionValue) throws(RuleError) -> FlowOptions {
        var flow = FlowOptions()
        var written: [String: String] = [:]  // slot -> spelling used
        for piece in value.split(on: ",") {
            let spelling = String(piece.text)
            let option = spelling.lowercased()
            let slot: String
            switch option {
            case "established", "not_established", "stateless":
                slot = "state"
            case "to_server", "from_client", "to_client", "from_server":
                slot = "direction"
            case "only_stream", "no_stream":
                slot = "stream"
            case "":
                throw RuleError(code: .invalidValue, message: "empty flow option", column: piece.column)
            default:
                throw RuleError(code: .invalidValue, message: "unknown flow option '\(spelling)'", column: piece.column)
            }
            if let earlier = written[slot] {
                let message = earlier == option
                    ? "flow option '\(spelling)' given twice"
                    : "flow options '\(earlier)' and '\(spelling)' cannot be used together"
                throw RuleError(code: .invalidValue, message: message, column: piece.column)
            }
            written[slot] = option
            switch option {
            case "established": flow.state = .established
            case "not_established": flow.state = .notEstablished
            case "stateless": flow.state = .stateless
            case "to_server", "from_client": flow.direction = .toServer
            case "to_client", "from_server": flow.direction = .toClient
            case "only_stream": flow.stream = .onlyStream
            default: flow.stream = .noStream
            }
        }
        return flow
    }

    /// `geoip:[src|dst|both|any,]CC[,CC…]`: every code must be ISO 3166-1 alpha-2, else AWS refuses the rule.
    static func checkCountryCodes(_ value: OptionValue?) throws(RuleError) {
        guard let value else { return }
        for (position, piece) in value.split(on: ",").enumerated() {
            let code = String(piece.text)
            if position == 0, ["src", "dst", "both", "any"].contains(code.lowercased()) { continue }
            guard CountryCodes.all.contains(code.uppercased()) else {
                throw RuleError(
                    code: .unsupportedKeyword,
                    message: "keyword 'geoip' with '\(code)': only ISO 3166-1 alpha-2 country codes are supported", column: piece.column
                )
            }
        }
    }
}

extension ArraySlice<Unicode.Scalar> {
    /// The slice without leading and trailing blanks.
    var trimmingRuleSpaces: ArraySlice<Unicode.Scalar> {
        var low = startIndex
        var high = endIndex
        while low < high, self[low].isRuleSpace { low += 1 }
        while high > low, self[high - 1].isRuleSpace { high -= 1 }
        return self[low..<high]
    }
}
