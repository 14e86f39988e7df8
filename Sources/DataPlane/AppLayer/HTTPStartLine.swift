/// An HTTP/1.x request line, split as libhtp's generic parser does: the method up to the first space, the
/// URI up to the next, the protocol the rest (absent in an HTTP/0.9 request).
struct HTTPRequestLine {
    var method: [UInt8]
    var uri: [UInt8]
    var protocolVersion: [UInt8]

    init?(_ line: [UInt8]) {
        let (method, afterMethod) = HTTPBytes.splitToken(line[...])
        guard !method.isEmpty else { return nil }
        let (uri, afterURI) = HTTPBytes.splitToken(afterMethod)
        self.method = Array(method)
        self.uri = Array(uri)
        self.protocolVersion = Array(HTTPBytes.trimmingSpaces(afterURI))
    }

    /// Whether `line` is an HTTP/0.9 request (no protocol), which has no headers.
    static func isHeadless(_ line: [UInt8]) -> Bool {
        guard let request = HTTPRequestLine(line) else { return false }
        return request.protocolVersion.isEmpty
    }
}

/// An HTTP/1.x status line: `HTTP/1.1 200 OK`.
struct HTTPStatusLine {
    var protocolVersion: [UInt8]
    var statusCode: [UInt8]
    var reason: [UInt8]

    init?(_ line: [UInt8]) {
        guard HTTPBytes.hasPrefixIgnoringCase(line, "HTTP/") else { return nil }
        let (version, afterVersion) = HTTPBytes.splitToken(line[...])
        let (code, afterCode) = HTTPBytes.splitToken(afterVersion)
        protocolVersion = Array(version)
        statusCode = Array(code)
        reason = Array(HTTPBytes.trimmingSpaces(afterCode))
    }

    /// The status as a number, when it is three digits.
    var number: Int? {
        guard statusCode.count == 3, let value = HTTPBytes.decimal(statusCode), value >= 100 else { return nil }
        return value
    }
}
