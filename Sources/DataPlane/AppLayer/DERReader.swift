/// One DER element: its tag and where its content lies in the underlying bytes.
struct DERElement {
    var tag: UInt8
    /// The first byte of the element (its tag).
    var start: Int
    var contentStart: Int
    var contentEnd: Int
}

/// A cursor over consecutive DER elements (X.690): single-byte tags and definite lengths of up to four
/// bytes, every length checked against the enclosing element, so malformed certificates fail cleanly.
struct DERReader {
    let bytes: [UInt8]
    private var offset: Int
    private let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.end = min(end ?? bytes.count, bytes.count)
        self.offset = min(start, self.end)
    }

    /// A reader over `element`'s content.
    init(contentsOf element: DERElement, in bytes: [UInt8]) {
        self.init(bytes, from: element.contentStart, to: element.contentEnd)
    }

    var isAtEnd: Bool { offset >= end }

    /// The next element, or nil when none is left or it is malformed.
    mutating func next() -> DERElement? {
        guard end - offset >= 2 else { return nil }
        let start = offset
        let tag = bytes[offset]
        guard tag & 0x1F != 0x1F else { return nil }
        var index = offset + 1
        let first = bytes[index]
        index += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 4, end - index >= count else { return nil }
            for _ in 0..<count {
                length = length << 8 | Int(bytes[index])
                index += 1
            }
        }
        guard length <= end - index else { return nil }
        offset = index + length
        return DERElement(tag: tag, start: start, contentStart: index, contentEnd: index + length)
    }

    /// The next element if it has `tag`; otherwise nothing is consumed.
    mutating func next(tag: UInt8) -> DERElement? {
        var copy = self
        guard let element = copy.next(), element.tag == tag else { return nil }
        self = copy
        return element
    }

    /// The dotted form of an OBJECT IDENTIFIER's content (`2.5.4.3`).
    static func objectIdentifier(_ bytes: ArraySlice<UInt8>) -> String? {
        guard !bytes.isEmpty else { return nil }
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        var pendingBits = 0
        for byte in bytes {
            guard pendingBits < 56 else { return nil }
            value = value << 7 | UInt64(byte & 0x7F)
            pendingBits += 7
            if byte & 0x80 == 0 {
                arcs.append(value)
                value = 0
                pendingBits = 0
            }
        }
        guard pendingBits == 0, let first = arcs.first else { return nil }
        let head: [UInt64] = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80]
        return (head + arcs.dropFirst()).map(String.init).joined(separator: ".")
    }
}
