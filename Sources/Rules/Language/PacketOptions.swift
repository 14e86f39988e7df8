/// Header, packet, flow-state and application keywords: `dsize`, `ttl`, `ip_proto`, `itype`, `icode`,
/// `flags`, `seq`, `ack`, `window`, `sameip`, `flowbits`, `noalert`, `app-layer-protocol`, `tls.version`.
extension OptionsBuilder {
    mutating func applyPacket(_ name: String, column: Int, value: OptionValue?) throws(RuleError) -> Bool {
        switch name {
        case "dsize", "ttl", "itype", "icode", "window":
            let value = try requiredValue(value, name, column)
            let condition = try OptionsBuilder.numeric(value, keyword: name)
            switch name {
            case "dsize": packet.payloadSize = condition
            case "ttl": packet.ttl = condition
            case "itype": packet.icmpType = condition
            case "icode": packet.icmpCode = condition
            default: packet.window = condition
            }
        case "ip_proto":
            let value = try requiredValue(value, name, column)
            packet.ipProtocol = try OptionsBuilder.ipProtocol(value)
        case "flags", "tcp.flags":
            let value = try requiredValue(value, name, column)
            packet.tcpFlags = try OptionsBuilder.tcpFlags(value)
        case "seq", "ack":
            let value = try requiredValue(value, name, column)
            let number = UInt32(try OptionsBuilder.integer(value, keyword: name, range: 0...4_294_967_295))
            if name == "seq" { packet.sequence = number } else { packet.acknowledgement = number }
        case "sameip":
            if let value, !value.text.isEmpty {
                throw RuleError(code: .invalidValue, message: "option 'sameip' takes no value", column: value.column)
            }
            packet.sameIP = true
        case "noalert":
            if let value, !value.text.isEmpty {
                throw RuleError(code: .invalidValue, message: "option 'noalert' takes no value", column: value.column)
            }
            noalert = true
        case "flowbits":
            let value = try requiredValue(value, name, column)
            if let operation = try OptionsBuilder.flowbit(value) {
                flowbits.append(operation)
            } else {
                noalert = true
            }
        case "app-layer-protocol":
            let value = try requiredValue(value, name, column)
            appLayerProtocol = try OptionsBuilder.appLayerProtocol(value)
        case "tls.version":
            let value = try requiredValue(value, name, column)
            tlsVersion = try OptionsBuilder.tlsVersion(value)
        case "ssl_state":
            let value = try requiredValue(value, name, column)
            var text = String(String.UnicodeScalarView(value.text)).lowercased()
            let negated = text.hasPrefix("!")
            if negated { text.removeFirst() }
            let states = Set(text.split(separator: "|").map { $0.trimmingCharacters })
            let known: Set<String> = ["client_hello", "server_hello", "client_keyx", "server_keyx", "unknown"]
            guard !states.isEmpty, states.isSubset(of: known) else {
                throw RuleError(
                    code: .invalidValue,
                    message: "invalid ssl_state '\(text)' (client_hello, server_hello, client_keyx, server_keyx, unknown)",
                    column: value.column
                )
            }
            sslState = SSLStateCondition(states: states, negated: negated)
        default:
            return false
        }
        rendered.append(OptionsBuilder.asWritten(name, value))
        return true
    }

    /// A numeric condition at the value's column.
    static func numeric(_ value: OptionValue, keyword: String) throws(RuleError) -> NumericCondition {
        do {
            return try NumericCondition.parse(String(String.UnicodeScalarView(value.text)))
        } catch {
            var error = error
            error.message = "invalid \(keyword): \(error.message)"
            if error.column == 0 { error.column = value.column }
            throw error
        }
    }

    /// `ip_proto:[!|<|>]N` or a protocol name.
    static func ipProtocol(_ value: OptionValue) throws(RuleError) -> NumericCondition {
        let names: [String: UInt64] = [
            "icmp": 1, "igmp": 2, "ipip": 4, "tcp": 6, "udp": 17, "ipv6": 41, "gre": 47, "esp": 50, "ah": 51,
            "icmpv6": 58, "ipv6-icmp": 58, "sctp": 132, "pim": 103, "vrrp": 112,
        ]
        var text = String(String.UnicodeScalarView(value.text))
        var op = NumericCondition.Operator.equal
        if let first = text.first, "!<>".contains(first) {
            op = first == "!" ? .notEqual : first == "<" ? .less : .greater
            text.removeFirst()
        }
        let number = UInt64(text) ?? names[text.lowercased()]
        guard let number, number <= 255 else {
            throw RuleError(code: .invalidValue, message: "invalid ip_proto '\(text)' (a number 0-255 or a protocol name)", column: value.column)
        }
        return NumericCondition(op, number)
    }

    /// `flags:[!|+|*]FSRPAUCE0[+|*][,ignored]` (`1` and `2` are the legacy names of C and E).
    static func tcpFlags(_ value: OptionValue) throws(RuleError) -> TCPFlagsCondition {
        let text = String(String.UnicodeScalarView(value.text)).replacingSpaces
        let parts = text.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        func bits(_ letters: Substring, allowModifiers: Bool) throws(RuleError) -> (UInt8, TCPFlagsCondition.Mode?) {
            var result: UInt8 = 0
            var mode: TCPFlagsCondition.Mode?
            for letter in letters {
                switch letter.uppercased() {
                case "F": result |= 0x01
                case "S": result |= 0x02
                case "R": result |= 0x04
                case "P": result |= 0x08
                case "A": result |= 0x10
                case "U": result |= 0x20
                case "E", "2": result |= 0x40
                case "C", "1": result |= 0x80
                case "0": break
                case "!" where allowModifiers: mode = TCPFlagsCondition.Mode.none
                case "+" where allowModifiers: mode = .all
                case "*" where allowModifiers: mode = .any
                default:
                    throw RuleError(code: .invalidValue, message: "invalid TCP flag '\(letter)' in flags '\(text)'", column: value.column)
                }
            }
            return (result, mode)
        }
        let (flags, mode) = try bits(parts[0], allowModifiers: true)
        let ignored = parts.count > 1 ? try bits(parts[1], allowModifiers: false).0 : 0
        return TCPFlagsCondition(mode: mode ?? .exact, flags: flags, ignored: ignored)
    }

    /// `flowbits:set|unset|toggle|isset|isnotset,name` or `flowbits:noalert` (nil).
    static func flowbit(_ value: OptionValue) throws(RuleError) -> FlowbitOperation? {
        let pieces = value.split(on: ",")
        let command = String(String.UnicodeScalarView(pieces[0].text)).lowercased()
        if command == "noalert" {
            guard pieces.count == 1 else {
                throw RuleError(code: .invalidValue, message: "'flowbits:noalert' takes no name", column: value.column)
            }
            return nil
        }
        guard pieces.count == 2, !pieces[1].text.isEmpty else {
            throw RuleError(code: .invalidValue, message: "flowbits '\(command)' needs one name (flowbits:\(command),name)", column: value.column)
        }
        let nameText = String(String.UnicodeScalarView(pieces[1].text))
        let all = nameText.contains("&")
        let names = nameText.split(whereSeparator: { $0 == "|" || $0 == "&" }).map { $0.trimmingCharacters }
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty && !$0.contains(" ") }), !(all && nameText.contains("|")) else {
            throw RuleError(code: .invalidValue, message: "invalid flowbit name '\(nameText)'", column: pieces[1].column)
        }
        switch command {
        case "set", "unset", "toggle":
            guard names.count == 1 else {
                throw RuleError(code: .invalidValue, message: "flowbits '\(command)' takes one name", column: pieces[1].column)
            }
            return command == "set" ? .set(names[0]) : command == "unset" ? .unset(names[0]) : .toggle(names[0])
        case "isset": return .isSet(names, all: all)
        case "isnotset": return .isNotSet(names, all: all)
        default:
            throw RuleError(
                code: .invalidValue, message: "unknown flowbits command '\(command)' (set, unset, toggle, isset, isnotset, noalert)",
                column: pieces[0].column
            )
        }
    }

    /// `app-layer-protocol:[!]name[,mode]`.
    static func appLayerProtocol(_ value: OptionValue) throws(RuleError) -> AppLayerProtocolCondition {
        let pieces = value.split(on: ",")
        var name = String(String.UnicodeScalarView(pieces[0].text)).lowercased()
        let negated = name.hasPrefix("!")
        if negated { name.removeFirst() }
        if pieces.count > 1 {
            let mode = String(String.UnicodeScalarView(pieces[1].text)).lowercased()
            guard pieces.count == 2, ["either", "to_server", "to_client", "direction", "final", "original"].contains(mode) else {
                throw RuleError(code: .invalidValue, message: "invalid app-layer-protocol mode '\(mode)'", column: pieces[1].column)
            }
        }
        let known = ["ftp", "smtp", "ssh", "smb", "dcerpc", "imap", "pop3", "nfs", "ntp", "dhcp", "krb5", "snmp", "sip",
                     "rdp", "rfb", "mqtt", "modbus", "dnp3", "enip", "ike", "quic", "http2", "tftp", "ftp-data", "ldap",
                     "telnet", "irc", "websocket", "pgsql", "bittorrent-dht"]
        let parsed: AppLayerProtocolCondition.Name
        switch name {
        case "http", "http1": parsed = .known(.http)
        case "tls", "ssl": parsed = .known(.tls)
        case "dns": parsed = .known(.dns)
        case "unknown": parsed = .unknown
        case "failed": parsed = .failed
        default:
            guard known.contains(name) else {
                throw RuleError(code: .invalidValue, message: "unknown app-layer-protocol '\(name)'", column: pieces[0].column)
            }
            parsed = .undetectable(name)
        }
        return AppLayerProtocolCondition(name: parsed, negated: negated)
    }

    /// `tls.version:1.0|1.1|1.2|1.3|ssl3|0xNNNN`.
    static func tlsVersion(_ value: OptionValue) throws(RuleError) -> UInt16 {
        let text = String(String.UnicodeScalarView(value.text)).lowercased()
        switch text {
        case "1.0": return 0x0301
        case "1.1": return 0x0302
        case "1.2": return 0x0303
        case "1.3": return 0x0304
        case "ssl3", "sslv3", "3.0": return 0x0300
        default:
            if text.hasPrefix("0x"), let number = UInt16(text.dropFirst(2), radix: 16) { return number }
            throw RuleError(code: .invalidValue, message: "invalid tls.version '\(text)' (1.0, 1.1, 1.2, 1.3, ssl3 or 0xNNNN)", column: value.column)
        }
    }
}

extension String {
    /// The string without spaces.
    var replacingSpaces: String {
        String(filter { $0 != " " })
    }
}
