/// An `http://` URL as the revocation fetcher needs it: where to connect, and the Host header and
/// request target to send. Other schemes (https, ldap) are refused: OCSP and CRL distribution are
/// plain HTTP by design (RFC 6960 appendix A, RFC 5280 section 4.2.1.13), the data being signed.
struct RevocationURL: Hashable, Sendable {
    /// A name or an IP literal (IPv6 without brackets).
    var host: String
    var port: Int
    /// The Host header value: the authority as written.
    var authority: String
    /// The path and query, `/` when the URL has none.
    var target: String

    init?(_ text: String) {
        let scheme = "http://"
        guard text.count > scheme.count, text.prefix(scheme.count).lowercased() == scheme else { return nil }
        let rest = text.dropFirst(scheme.count)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var target = String(rest[authorityEnd...])
        if let fragment = target.firstIndex(of: "#") { target = String(target[..<fragment]) }
        if target.isEmpty || target.first == "?" { target = "/" + target }
        guard !authority.isEmpty, !authority.contains("@"),
              !target.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" }) else { return nil }

        var host: Substring
        var portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { return nil }
        var port = 80
        if let portText {
            guard !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(portText),
                  (1...65535).contains(number) else { return nil }
            port = number
        }
        self.host = String(host)
        self.port = port
        self.authority = String(authority)
        self.target = target
    }
}
