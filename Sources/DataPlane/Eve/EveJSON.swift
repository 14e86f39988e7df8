public import Shared

/// Writes an ``EveEvent`` as one line of JSON by hand, with Suricata's key order (timestamp,
/// flow_id, event_type, addresses, proto, then the event's object) — deterministic, unlike a
/// dictionary-backed encoder, and with no intermediate objects.
public enum EveJSON {
    /// The JSON text of `event` (no trailing newline).
    public static func line(_ event: EveEvent) -> String {
        String(decoding: bytes(event), as: UTF8.self)
    }

    /// The UTF-8 bytes of `event`'s JSON text (no trailing newline).
    public static func bytes(_ event: EveEvent) -> [UInt8] {
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
        out.field("pkt_src", event.pkt_src)
        out.field("tx_id", event.tx_id)
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
        if let http = event.http {
            out.key("http")
            write(http, to: &out)
        }
        if let tls = event.tls {
            out.key("tls")
            write(tls, to: &out)
        }
        if let dns = event.dns {
            out.key("dns")
            write(dns, to: &out)
        }
        if let flow = event.flow {
            out.key("flow")
            out.open()
            out.field("pkts_toserver", flow.pkts_toserver)
            out.field("pkts_toclient", flow.pkts_toclient)
            out.field("bytes_toserver", flow.bytes_toserver)
            out.field("bytes_toclient", flow.bytes_toclient)
            out.field("start", flow.start)
            out.field("end", flow.end)
            out.field("age", flow.age)
            out.field("state", flow.state)
            out.field("reason", flow.reason)
            out.field("alerted", flow.alerted)
            out.field("action", flow.action)
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
        return out.bytes
    }

    /// Suricata's `EveHttpLogJSONBasic` then `EveHttpLogJSONExtended` order.
    private static func write(_ http: EveHTTP, to out: inout JSONText) {
        out.open()
        out.field("hostname", http.hostname)
        out.field("http_port", http.http_port)
        out.field("url", http.url)
        out.field("http_user_agent", http.http_user_agent)
        out.field("xff", http.xff)
        out.field("http_content_type", http.http_content_type)
        out.field("http_refer", http.http_refer)
        out.field("http_method", http.http_method)
        out.field("protocol", http.protocol)
        out.field("status", http.status)
        out.field("status_string", http.status_string)
        out.field("redirect", http.redirect)
        out.field("length", http.length)
        out.close()
    }

    /// Suricata's `JsonTlsLogJSONExtended` order.
    private static func write(_ tls: EveTLS, to out: inout JSONText) {
        out.open()
        out.field("subject", tls.subject)
        out.field("issuerdn", tls.issuerdn)
        out.field("session_resumed", tls.session_resumed)
        out.field("serial", tls.serial)
        out.field("fingerprint", tls.fingerprint)
        out.field("sni", tls.sni)
        out.field("version", tls.version)
        out.field("notbefore", tls.notbefore)
        out.field("notafter", tls.notafter)
        for (name, ja3) in [("ja3", tls.ja3), ("ja3s", tls.ja3s)] {
            guard let ja3 else { continue }
            out.key(name)
            out.open()
            out.field("hash", ja3.hash)
            out.field("string", ja3.string)
            out.close()
        }
        if let inspection = tls.inspection {
            out.key("inspection")
            out.open()
            out.field("mode", inspection.mode)
            out.field("action", inspection.action)
            out.field("reason", inspection.reason)
            out.field("detail", inspection.detail)
            out.field("revocation_status", inspection.revocation_status)
            out.field("revocation_source", inspection.revocation_source)
            out.field("alpn", inspection.alpn)
            out.close()
        }
        out.close()
    }

    /// Suricata's DNS v2 order: a query's fields (`dns_log_query`) or an answer's (`dns_log_json_answer`).
    private static func write(_ dns: EveDNS, to out: inout JSONText) {
        out.open()
        if dns.type == "query" {
            out.field("type", dns.type)
            out.field("id", dns.id)
            out.field("rrname", dns.rrname)
            out.field("rrtype", dns.rrtype)
            out.field("tx_id", dns.tx_id)
            out.field("z", dns.z)
        } else {
            out.field("version", dns.version)
            out.field("type", dns.type)
            out.field("id", dns.id)
            out.field("flags", dns.flags)
            out.field("qr", dns.qr)
            out.field("aa", dns.aa)
            out.field("tc", dns.tc)
            out.field("rd", dns.rd)
            out.field("ra", dns.ra)
            out.field("z", dns.z)
            out.field("rrname", dns.rrname)
            out.field("rrtype", dns.rrtype)
            out.field("tx_id", dns.tx_id)
            out.field("rcode", dns.rcode)
            if let answers = dns.answers, !answers.isEmpty {
                out.key("answers")
                out.openArray()
                for answer in answers {
                    out.element()
                    out.open()
                    out.field("rrname", answer.rrname)
                    out.field("rrtype", answer.rrtype)
                    out.field("ttl", UInt64(answer.ttl))
                    out.field("rdata", answer.rdata)
                    out.close()
                }
                out.closeArray()
            }
        }
        out.close()
    }
}

/// A minimal JSON object writer that builds UTF-8 bytes directly (no intermediate strings).
private struct JSONText {
    var bytes: [UInt8] = []
    private var needsComma = false

    init() {
        bytes.reserveCapacity(512)
    }

    mutating func open() {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func close() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func openArray() {
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func closeArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Starts an array element (a comma after the previous one).
    mutating func element() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = false
    }

    /// A key; names are plain ASCII and need no escaping.
    mutating func key(_ name: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
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
        ASCIIDecimal.append(value, to: &bytes)
    }

    mutating func field(_ name: String, _ value: Int?) {
        guard let value else { return }
        key(name)
        ASCIIDecimal.append(Int64(value), to: &bytes)
    }

    mutating func field(_ name: String, _ value: Bool?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: value ? Self.trueText : Self.falseText)
    }

    private static let trueText = Array("true".utf8)
    private static let falseText = Array("false".utf8)

    /// A JSON string: `"` and `\` escaped, control characters as short or `\u00XX` escapes, and U+2028 and
    /// U+2029 as `\u2028` and `\u2029` (JavaScript's line separators); everything else as its UTF-8.
    private mutating func appendString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { appendEscaped($0) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The string's UTF-8 with the escapes JSON needs: runs that need none are copied whole.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0xE2 else {
                index += 1
                continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            index += 1
            switch byte {
            case UInt8(ascii: "\""): appendEscape(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): appendEscape(UInt8(ascii: "\\"))
            case 0x0A: appendEscape(UInt8(ascii: "n"))
            case 0x0D: appendEscape(UInt8(ascii: "r"))
            case 0x09: appendEscape(UInt8(ascii: "t"))
            case 0x08: appendEscape(UInt8(ascii: "b"))
            case 0x0C: appendEscape(UInt8(ascii: "f"))
            case 0xE2 where index + 1 < utf8.count && utf8[index] == 0x80 && (utf8[index + 1] == 0xA8 || utf8[index + 1] == 0xA9):
                // U+2028 (E2 80 A8) or U+2029 (E2 80 A9).
                appendUnicodeEscape(utf8[index + 1] == 0xA8 ? 0x2028 : 0x2029)
                index += 2
            case 0xE2:
                bytes.append(byte)
            default:
                appendUnicodeEscape(UInt16(byte))
            }
            runStart = index
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
    }

    private mutating func appendEscape(_ letter: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(letter)
    }

    private mutating func appendUnicodeEscape(_ value: UInt16) {
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "u"))
        EveText.appendHex(UInt8(value >> 8), upper: false, to: &bytes)
        EveText.appendHex(UInt8(value & 0xFF), upper: false, to: &bytes)
    }
}
