public import Shared

/// Writes an ``EveEvent`` as one line of JSON by hand, with Suricata's key order (timestamp,
/// flow_id, event_type, addresses, proto, then the event's object) — deterministic, unlike a
/// dictionary-backed encoder, and with no intermediate objects.
public enum EveJSON {
    /// The JSON text of `event` (no trailing newline).
    public static func line(_ event: EveEvent) -> String {
        var out = JSONText()
        out.open()
        out.field("timestamp", event.timestamp)
        out.field("flow_id", event.flow_id)
        out.field("pcap_cnt", event.pcap_cnt)
        out.field("event_type", event.event_type)
        out.field("src_ip", event.src_ip)
        out.field("src_port", event.src_port.map(UInt64.init))
        out.field("dest_ip", event.dest_ip)
        out.field("dest_port", event.dest_port.map(UInt64.init))
        out.field("proto", event.proto)
        out.field("app_proto", event.app_proto)
        if let alert = event.alert {
            out.key("alert")
            out.open()
            out.field("action", alert.action)
            out.field("gid", alert.gid)
            out.field("signature_id", alert.signature_id)
            out.field("rev", alert.rev)
            out.field("signature", alert.signature)
            out.field("category", alert.category)
            out.field("severity", alert.severity)
            out.close()
        }
        if let drop = event.drop {
            out.key("drop")
            out.open()
            out.field("len", drop.len)
            out.field("ttl", drop.ttl)
            out.field("ipid", drop.ipid)
            out.field("tcpseq", drop.tcpseq.map(UInt64.init))
            out.field("tcpack", drop.tcpack.map(UInt64.init))
            out.field("tcpwin", drop.tcpwin)
            out.field("syn", drop.syn)
            out.field("ack", drop.ack)
            out.field("psh", drop.psh)
            out.field("rst", drop.rst)
            out.field("urg", drop.urg)
            out.field("fin", drop.fin)
            out.field("reason", drop.reason)
            out.close()
        }
        out.close()
        return out.text
    }
}

/// A minimal JSON object writer.
private struct JSONText {
    var text = ""
    private var needsComma = false

    init() {
        text.reserveCapacity(320)
    }

    mutating func open() {
        text += "{"
        needsComma = false
    }

    mutating func close() {
        text += "}"
        needsComma = true
    }

    mutating func key(_ name: String) {
        if needsComma { text += "," }
        text += "\""
        text += name
        text += "\":"
        needsComma = true
    }

    mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        appendString(value)
    }

    mutating func field(_ name: String, _ value: UInt64?) {
        guard let value else { return }
        key(name)
        text += String(value)
    }

    mutating func field(_ name: String, _ value: Int?) {
        guard let value else { return }
        key(name)
        text += String(value)
    }

    mutating func field(_ name: String, _ value: Bool?) {
        guard let value else { return }
        key(name)
        text += value ? "true" : "false"
    }

    private mutating func appendString(_ value: String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}
