/// A request URI taken apart and normalized the way Suricata's default libhtp configuration (the IDS
/// personality, without its lower-casing, which Suricata turns off) builds `http.uri`: in the path,
/// `%XX` escapes are decoded (invalid ones kept), backslashes become slashes, runs of slashes collapse,
/// and `.`/`..` segments are removed (RFC 3986 section 5.2.4); the query and fragment are kept as sent.
/// For an absolute URI (`http://host:port/path`, a proxy request) the authority gives the host and the
/// normalized URI is the path, query and fragment only.
struct HTTPURI {
    /// `path?query#fragment`, normalized as above.
    var normalized: [UInt8]
    /// The host of an absolute URI, as written (without user info and port).
    var host: [UInt8]?
    /// The port of an absolute URI, as written.
    var port: [UInt8]?

    init(_ raw: [UInt8]) {
        var rest = raw[...]
        host = nil
        port = nil
        if let schemeEnd = Self.schemeEnd(raw) {
            rest = raw[schemeEnd...]
            let authorityEnd = rest.firstIndex {
                $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
            } ?? rest.endIndex
            let (host, port) = Self.splitHostPort(rest[..<authorityEnd])
            self.host = Array(host)
            self.port = port.map(Array.init)
            rest = rest[authorityEnd...]
        }
        let pathEnd = rest.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? rest.endIndex
        normalized = Self.removeDotSegments(Self.decodePath(rest[..<pathEnd]))
        normalized.append(contentsOf: rest[pathEnd...])
    }

    /// The index after `scheme://` when `raw` starts with one.
    private static func schemeEnd(_ raw: [UInt8]) -> Int? {
        guard let first = raw.first, isAlpha(first) else { return nil }
        var index = 1
        while index < raw.count, isAlpha(raw[index]) || (raw[index] >= 0x30 && raw[index] <= 0x39)
            || raw[index] == UInt8(ascii: "+") || raw[index] == UInt8(ascii: "-") || raw[index] == UInt8(ascii: ".") {
            index += 1
        }
        guard raw.count >= index + 3, raw[index] == UInt8(ascii: ":"), raw[index + 1] == UInt8(ascii: "/"),
              raw[index + 2] == UInt8(ascii: "/") else { return nil }
        return index + 3
    }

    private static func isAlpha(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    /// Splits `[user@]host[:port]` (an IPv6 literal keeps its brackets).
    static func splitHostPort(_ authority: ArraySlice<UInt8>) -> (host: ArraySlice<UInt8>, port: ArraySlice<UInt8>?) {
        var authority = authority
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[(at + 1)...] }
        if authority.first == UInt8(ascii: "["), let close = authority.firstIndex(of: UInt8(ascii: "]")) {
            let after = authority[(close + 1)...]
            let port = after.first == UInt8(ascii: ":") ? after.dropFirst() : nil
            return (authority[...close], port)
        }
        if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
            return (authority[..<colon], authority[(colon + 1)...])
        }
        return (authority, nil)
    }

    /// `http.host`: lower case, without trailing dots.
    static func normalizedHost<Bytes: Collection>(_ host: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var host = HTTPBytes.lowercased(host)
        while host.last == UInt8(ascii: ".") { host.removeLast() }
        return host
    }

    /// Percent-decoding, backslash conversion and slash compression in one pass.
    static func decodePath(_ path: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(path.count)
        var index = path.startIndex
        while index < path.endIndex {
            var byte = path[index]
            index += 1
            if byte == UInt8(ascii: "%"), index + 1 < path.endIndex, let high = HTTPBytes.hexValue(path[index]),
               let low = HTTPBytes.hexValue(path[index + 1]) {
                byte = high << 4 | low
                index += 2
            }
            if byte == UInt8(ascii: "\\") { byte = UInt8(ascii: "/") }
            if byte == UInt8(ascii: "/"), out.last == UInt8(ascii: "/") { continue }
            out.append(byte)
        }
        return out
    }

    /// RFC 3986 section 5.2.4, in one pass over the input.
    static func removeDotSegments(_ path: [UInt8]) -> [UInt8] {
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        var out: [UInt8] = []
        out.reserveCapacity(path.count)
        var index = 0
        let count = path.count
        func at(_ offset: Int) -> UInt8? { index + offset < count ? path[index + offset] : nil }
        func removeLastSegment() {
            if let last = out.lastIndex(of: slash) { out.removeSubrange(last...) } else { out.removeAll() }
        }
        while index < count {
            let remaining = count - index
            if at(0) == dot, at(1) == dot, at(2) == slash {
                index += 3 // "../"
            } else if at(0) == dot, at(1) == slash {
                index += 2 // "./"
            } else if at(0) == slash, at(1) == dot, at(2) == slash {
                index += 2 // "/./" -> "/"
            } else if remaining == 2, at(0) == slash, at(1) == dot {
                out.append(slash) // "/." at the end -> "/"
                index = count
            } else if at(0) == slash, at(1) == dot, at(2) == dot, at(3) == slash {
                index += 3 // "/../" -> "/"
                removeLastSegment()
            } else if remaining == 3, at(0) == slash, at(1) == dot, at(2) == dot {
                removeLastSegment() // "/.." at the end -> "/"
                out.append(slash)
                index = count
            } else if (remaining == 1 && at(0) == dot) || (remaining == 2 && at(0) == dot && at(1) == dot) {
                index = count
            } else {
                var end = index
                if path[end] == slash { end += 1 }
                while end < count, path[end] != slash { end += 1 }
                out.append(contentsOf: path[index..<end])
                index = end
            }
        }
        return out
    }
}
