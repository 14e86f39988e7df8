/// One header of an HTTP message after libhtp's normalisation: the name as first written, the value
/// without surrounding spaces and tabs, folded lines joined with a space, and repeated headers merged into
/// the first one's entry with `", "` (so `http.user_agent` of two User-Agent lines is `"a, b"`).
struct HTTPHeader: Hashable {
    var name: [UInt8]
    var value: [UInt8]
}

/// The head of an HTTP/1.x message: its start line, its headers and the raw header block.
struct HTTPHead {
    /// The request or status line without its line ending.
    var startLine: [UInt8]
    /// The merged headers, in the order their names first appear.
    var headers: [HTTPHeader]
    /// The header lines as received, the terminating empty line included (`http.header.raw`).
    var rawHeaders: [UInt8]

    /// The value of the header named `lowercasedName` (ASCII case-insensitive), if present.
    func value(_ lowercasedName: String) -> [UInt8]? {
        headers.first { HTTPBytes.equalsIgnoringCase($0.name, lowercasedName.utf8) }?.value
    }

    /// Parses a complete head: `bytes[..<startLineEnd]` is the start line with its line ending, the rest
    /// the header lines up to and including the empty line (or nothing, for an HTTP/0.9 request).
    init(bytes: ArraySlice<UInt8>, startLineEnd: Int) {
        startLine = HTTPBytes.trimmingLineEnding(bytes[bytes.startIndex..<startLineEnd])
        rawHeaders = Array(bytes[startLineEnd...])
        var unmerged: [HTTPHeader] = []
        var lineStart = startLineEnd
        while lineStart < bytes.endIndex {
            let lineEnd = bytes[lineStart...].firstIndex(of: HTTPBytes.lf) ?? bytes.endIndex
            let line = HTTPBytes.trimmingLineEnding(bytes[lineStart..<lineEnd])
            lineStart = lineEnd + 1
            if line.isEmpty { break }
            if HTTPBytes.isSpace(line[0]) {
                // An obsolete folded line continues the previous header's value.
                guard !unmerged.isEmpty else { continue }
                let continuation = HTTPBytes.trimmingSpaces(line[...])
                if !continuation.isEmpty {
                    if !unmerged[unmerged.count - 1].value.isEmpty { unmerged[unmerged.count - 1].value.append(0x20) }
                    unmerged[unmerged.count - 1].value.append(contentsOf: continuation)
                }
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = HTTPBytes.trimmingSpaces(line[..<colon])
            guard !name.isEmpty else { continue }
            unmerged.append(HTTPHeader(name: Array(name), value: Array(HTTPBytes.trimmingSpaces(line[(colon + 1)...]))))
        }
        var merged: [HTTPHeader] = []
        for header in unmerged {
            if let index = merged.firstIndex(where: { HTTPBytes.equalsIgnoringCase($0.name, header.name) }) {
                merged[index].value.append(contentsOf: [0x2C, 0x20])
                merged[index].value.append(contentsOf: header.value)
            } else {
                merged.append(header)
            }
        }
        headers = merged
    }
}

/// Byte-level helpers for HTTP text.
enum HTTPBytes {
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    static func lowercased<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        bytes.map(lowercased)
    }

    static func equalsIgnoringCase<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool
    where A.Element == UInt8, B.Element == UInt8 {
        a.count == b.count && zip(a, b).allSatisfy { lowercased($0) == lowercased($1) }
    }

    static func hasPrefixIgnoringCase<A: Collection>(_ bytes: A, _ prefix: String) -> Bool where A.Element == UInt8 {
        let prefix = Array(prefix.utf8)
        return bytes.count >= prefix.count && equalsIgnoringCase(bytes.prefix(prefix.count), prefix)
    }

    /// The line without its trailing CR (the LF is already excluded).
    static func trimmingLineEnding(_ line: ArraySlice<UInt8>) -> [UInt8] {
        var line = line
        if line.last == lf { line = line.dropLast() }
        if line.last == cr { line = line.dropLast() }
        return Array(line)
    }

    static func trimmingSpaces(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var bytes = bytes
        while let first = bytes.first, isSpace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isSpace(last) || last == cr { bytes = bytes.dropLast() }
        return bytes
    }

    /// Splits at the first run of spaces/tabs: the token before it and what follows the run.
    static func splitToken(_ bytes: ArraySlice<UInt8>) -> (token: ArraySlice<UInt8>, rest: ArraySlice<UInt8>) {
        guard let space = bytes.firstIndex(where: isSpace) else { return (bytes, bytes[bytes.endIndex...]) }
        var rest = bytes[space...]
        while let first = rest.first, isSpace(first) { rest = rest.dropFirst() }
        return (bytes[..<space], rest)
    }

    /// A non-negative decimal number (leading/trailing spaces allowed), or nil.
    static func decimal<Bytes: Collection>(_ bytes: Bytes) -> Int? where Bytes.Element == UInt8 {
        let digits = trimmingSpaces(ArraySlice(bytes))
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var value = 0
        for byte in digits {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
