/// How an HTTP message's body is delimited (RFC 9112 section 6).
enum HTTPBodyFraming: Hashable {
    /// No body (a request without Content-Length, a HEAD response, 1xx/204/304).
    case none
    /// `Content-Length` bytes.
    case length(Int)
    /// `Transfer-Encoding: chunked`.
    case chunked
    /// A response body that ends when the server closes the connection.
    case untilClose
}

/// Decodes one HTTP body incrementally, whatever the split of the input, keeping the first `keptBytes`
/// of the decoded body (for body buffers; none when no rule reads them) and counting the bytes on the
/// wire.
struct HTTPBodyDecoder {
    enum Outcome {
        case needMore
        case complete
        case failed
    }

    private enum ChunkState {
        case size
        case data
        case dataEnd
        case trailer
    }

    /// The decoded body, up to `keptBytes`.
    private(set) var body: [UInt8] = []
    /// How much of the decoded body is kept.
    let keptBytes: Int
    /// Body bytes seen on the wire, chunk framing included.
    private(set) var wireLength = 0
    private let framing: HTTPBodyFraming
    private var remaining: Int
    private var chunkState = ChunkState.size
    private var line: [UInt8] = []
    private var trailerBytes = 0

    private static let maxChunkLine = 1024
    private static let maxTrailer = 8 * 1024

    init(_ framing: HTTPBodyFraming, keeping keptBytes: Int = AppLayerLimits.bodyInspectionBytes) {
        self.framing = framing
        self.keptBytes = keptBytes
        if case .length(let length) = framing { remaining = length } else { remaining = 0 }
    }

    var isComplete: Bool {
        switch framing {
        case .none: true
        case .length: remaining == 0
        case .chunked, .untilClose: false
        }
    }

    /// How many of the next bytes are body bytes past the kept part that only need counting: those of a
    /// close-delimited body, or of a Content-Length body short of its last byte (which completes the message
    /// and so goes through `consume`). None while the kept part is not full, nor in a chunked body.
    var skippableBytes: Int {
        guard body.count >= keptBytes else { return 0 }
        switch framing {
        case .untilClose: return Int.max
        case .length: return max(0, remaining - 1)
        case .none, .chunked: return 0
        }
    }

    /// Counts `count` body bytes (at most `skippableBytes`) as consumed without reading them.
    mutating func skip(_ count: Int) {
        precondition(count >= 0 && count <= skippableBytes)
        wireLength += count
        if case .length = framing { remaining -= count }
    }

    /// Consumes body bytes from the front of `input`, leaving what follows the body.
    mutating func consume(_ input: inout ArraySlice<UInt8>) -> Outcome {
        switch framing {
        case .none:
            return .complete
        case .untilClose:
            keep(input)
            input = input[input.endIndex...]
            return .needMore
        case .length:
            let count = min(remaining, input.count)
            keep(input.prefix(count))
            input = input.dropFirst(count)
            remaining -= count
            return remaining == 0 ? .complete : .needMore
        case .chunked:
            return consumeChunked(&input)
        }
    }

    private mutating func consumeChunked(_ input: inout ArraySlice<UInt8>) -> Outcome {
        while !input.isEmpty {
            switch chunkState {
            case .data:
                let count = min(remaining, input.count)
                keep(input.prefix(count))
                input = input.dropFirst(count)
                remaining -= count
                if remaining == 0 { chunkState = .dataEnd }
            case .size, .dataEnd, .trailer:
                guard let lineDone = readLine(&input) else { return .failed }
                guard lineDone else { return .needMore }
                let text = HTTPBytes.trimmingSpaces(line[...])
                line.removeAll(keepingCapacity: true)
                switch chunkState {
                case .size:
                    guard let size = Self.chunkSize(text) else { return .failed }
                    if size == 0 {
                        chunkState = .trailer
                    } else {
                        remaining = size
                        chunkState = .data
                    }
                case .dataEnd:
                    guard text.isEmpty else { return .failed }
                    chunkState = .size
                case .trailer:
                    if text.isEmpty { return .complete }
                case .data:
                    break
                }
            }
        }
        return .needMore
    }

    /// Reads up to and including an LF into `line`: true when the line is complete, false when more input
    /// is needed, nil when the line is too long.
    private mutating func readLine(_ input: inout ArraySlice<UInt8>) -> Bool? {
        let lineEnd = input.firstIndex(of: HTTPBytes.lf)
        let end = lineEnd.map { $0 + 1 } ?? input.endIndex
        let piece = input[..<end]
        wireLength += piece.count
        if chunkState == .trailer {
            trailerBytes += piece.count
            if trailerBytes > Self.maxTrailer { return nil }
        }
        line.append(contentsOf: piece.prefix(Self.maxChunkLine + 1 - min(line.count, Self.maxChunkLine + 1)))
        input = input[end...]
        if line.count > Self.maxChunkLine { return nil }
        if lineEnd != nil { line.removeLast() } // the LF
        return lineEnd != nil
    }

    /// The hexadecimal size before any `;extension`.
    private static func chunkSize(_ text: ArraySlice<UInt8>) -> Int? {
        var size = 0
        var digits = 0
        for byte in text {
            guard let value = HTTPBytes.hexValue(byte) else {
                if byte == UInt8(ascii: ";") || HTTPBytes.isSpace(byte) { break }
                return nil
            }
            digits += 1
            guard digits <= 12 else { return nil }
            size = size << 4 | Int(value)
        }
        return digits == 0 ? nil : size
    }

    private mutating func keep(_ bytes: ArraySlice<UInt8>) {
        wireLength += bytes.count
        let room = keptBytes - body.count
        if room > 0 { body.append(contentsOf: bytes.prefix(room)) }
    }
}
