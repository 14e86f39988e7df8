/// One direction of a TLS connection at the record layer (RFC 8446 section 5.1): records reassembled
/// across segments, handshake messages across records (up to `AppLayerLimits.bufferedBytesPerDirection`),
/// and the payloads of other records skipped without being buffered. Once the caller has read what it needs
/// from the handshake, `skipHandshakes()` keeps following the records without buffering any, so that the
/// first application-data record is still seen.
struct TLSRecordReader {
    enum Event {
        /// A complete handshake message: its type and body.
        case handshake(type: UInt8, body: [UInt8])
        case changeCipherSpec
        case applicationData
        /// Not TLS, or past a bound: the reader gives up.
        case failed
    }

    private var header: [UInt8] = []
    private var recordType: UInt8 = 0
    private var remaining = 0
    private var handshake: [UInt8] = []
    private(set) var isClosed = false
    private var skipsHandshakes = false

    /// The largest record payload allowed (2^14 plus the expansion allowed to ciphertext).
    private static let maxRecord = 16_384 + 2_048

    /// Handshake records are skipped from here on, not buffered: no more `.handshake` events.
    mutating func skipHandshakes() {
        skipsHandshakes = true
        handshake = []
    }

    mutating func close() {
        isClosed = true
        header = []
        handshake = []
    }

    /// Consumes input up to the next event; nil when the input is used up without one.
    mutating func next(_ input: inout ArraySlice<UInt8>) -> Event? {
        while !isClosed {
            if let message = nextHandshakeMessage() { return message }
            if isClosed { return .failed }
            guard !input.isEmpty else { return nil }
            if remaining == 0 {
                let take = min(5 - header.count, input.count)
                header.append(contentsOf: input.prefix(take))
                input = input.dropFirst(take)
                guard header.count == 5 else { return nil }
                let length = Int(header[3]) << 8 | Int(header[4])
                guard (20...24).contains(header[0]), header[1] == 3, header[2] <= 4, length <= Self.maxRecord else {
                    close()
                    return .failed
                }
                recordType = header[0]
                remaining = length
                header.removeAll(keepingCapacity: true)
                switch recordType {
                case 20: return .changeCipherSpec
                case 23: return .applicationData
                default: continue
                }
            }
            let count = min(remaining, input.count)
            if recordType == 22, !skipsHandshakes {
                handshake.append(contentsOf: input.prefix(count))
                if handshake.count > AppLayerLimits.bufferedBytesPerDirection {
                    close()
                    return .failed
                }
            }
            input = input.dropFirst(count)
            remaining -= count
        }
        input = input[input.endIndex...]
        return nil
    }

    private mutating func nextHandshakeMessage() -> Event? {
        guard handshake.count >= 4 else { return nil }
        let length = Int(handshake[1]) << 16 | Int(handshake[2]) << 8 | Int(handshake[3])
        guard length <= AppLayerLimits.bufferedBytesPerDirection - 4 else {
            close()
            return nil
        }
        guard handshake.count >= 4 + length else { return nil }
        let type = handshake[0]
        let body = Array(handshake[4..<(4 + length)])
        handshake.removeFirst(4 + length)
        return .handshake(type: type, body: body)
    }
}
