import Rules

/// Recognises an application protocol from the first bytes of a direction, by content rather than by
/// port (Suricata's probing parsers): an HTTP/1.x request method followed by a space (to the server) or
/// `HTTP/1.` (to the client); a TLS handshake record (type 22, version 0x0300–0x0304, a plausible length,
/// a ClientHello to the server or a ServerHello to the client inside); a DNS message. Port 53 only relaxes
/// the DNS checks (header and questions suffice), so DNS wins when the bytes are ambiguous.
///
/// On a flow picked up midstream the side that spoke first need not be the client: bytes that only the other
/// direction sends (a response, a ServerHello) are recognised as `reversed`, and Suricata then turns the
/// flow around.
enum ProtocolProbe {
    enum Result: Equatable {
        case match(AppProtocol)
        /// The bytes are what the other direction sends: the flow runs the other way round.
        case reversed(AppProtocol)
        /// The bytes so far are a prefix of something recognisable.
        case needMore
        case noMatch
    }

    private static let methods: [[UInt8]] = ["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "CONNECT", "TRACE", "PATCH"]
        .map { Array(($0 + " ").utf8) }
    private static let responsePrefix = Array("HTTP/1.".utf8)

    /// The start of a TCP direction; `reversible` when the flow was picked up midstream.
    static func stream(_ bytes: [UInt8], direction: FlowDirection, serverPort: UInt16, reversible: Bool = false) -> Result {
        var results = [http(bytes, direction: direction), tls(bytes, direction: direction), dnsOverTCP(bytes, serverPort: serverPort)]
        if serverPort == 53 { results.insert(results.removeLast(), at: 0) } // the hint: DNS first
        if let match = results.first(where: { if case .match = $0 { true } else { false } }) { return match }
        if reversible {
            let other = direction == .toServer ? FlowDirection.toClient : .toServer
            for result in [http(bytes, direction: other), tls(bytes, direction: other)] {
                if case .match(let app) = result { return .reversed(app) }
            }
        }
        return results.contains(.needMore) ? .needMore : .noMatch
    }

    /// One UDP datagram.
    static func datagram(_ bytes: [UInt8], serverPort: UInt16) -> Result {
        DNSMessage(bytes, strict: serverPort != 53) != nil ? .match(.dns) : .noMatch
    }

    static func http(_ bytes: [UInt8], direction: FlowDirection) -> Result {
        let patterns = direction == .toServer ? methods : [responsePrefix]
        var partial = false
        for pattern in patterns {
            if bytes.count >= pattern.count {
                if bytes.starts(with: pattern) { return .match(.http) }
            } else if pattern.starts(with: bytes) {
                partial = true
            }
        }
        return partial ? .needMore : .noMatch
    }

    static func tls(_ bytes: [UInt8], direction: FlowDirection) -> Result {
        // Content type, version major and minor, length (checked below), handshake type: the client sends
        // the ClientHello (1), the server the ServerHello (2).
        let hello: UInt8 = direction == .toServer ? 1 : 2
        let checks: [(UInt8) -> Bool] = [
            { $0 == 22 }, { $0 == 3 }, { $0 <= 4 }, { _ in true }, { _ in true }, { $0 == hello },
        ]
        for (index, check) in checks.enumerated() {
            guard index < bytes.count else { return .needMore }
            guard check(bytes[index]) else { return .noMatch }
        }
        let length = Int(bytes[3]) << 8 | Int(bytes[4])
        return length >= 4 && length <= 16_384 + 2_048 ? .match(.tls) : .noMatch
    }

    /// A length-prefixed DNS message: on port 53 a plausible header is enough; elsewhere the whole first
    /// message must be present and parse strictly.
    static func dnsOverTCP(_ bytes: [UInt8], serverPort: UInt16) -> Result {
        guard bytes.count >= 2 + 12 else { return .needMore }
        let length = Int(bytes[0]) << 8 | Int(bytes[1])
        guard length >= 12 + 5 else { return .noMatch }
        func count(_ index: Int) -> Int { Int(bytes[index]) << 8 | Int(bytes[index + 1]) }
        let questionCount = count(6)
        let opcode = (bytes[4] >> 3) & 0xF
        // Every question takes at least 5 bytes and every record 11: counts the length cannot hold are
        // not DNS (a TLS record read as DNS fails here).
        guard questionCount >= 1, questionCount <= 16, opcode <= 6, opcode != 3,
              12 + 5 * questionCount + 11 * (count(8) + count(10) + count(12)) <= length
        else { return .noMatch }
        if serverPort == 53 { return .match(.dns) }
        guard bytes.count >= 2 + length else { return .needMore }
        return DNSMessage(Array(bytes[2..<(2 + length)]), strict: true) != nil ? .match(.dns) : .noMatch
    }
}
