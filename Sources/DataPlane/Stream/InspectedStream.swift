/// One direction of a TCP flow as the inspection engines consume it: its reassembler, and the in-order
/// bytes that the application layer and raw stream inspection have not taken yet.
///
/// Inline (Suricata's `stream.inline`, what the NFQUEUE worker does), bytes go on as soon as they are in
/// order and are not held here. In IDS mode they go on once the receiver acknowledged them, as Suricata's
/// stream engine hands them over: the application layer takes them on the acknowledging packet
/// (`takeParsable`), raw stream inspection on a later packet of this direction (`takeChunk`), in chunks —
/// when the application layer completed a message since the last chunk (Suricata's
/// `AppLayerParserTriggerRawStreamReassembly`), once `chunkSize` acknowledged bytes wait, or when the stream
/// ends. What is held is bounded: beyond `heldLimit` bytes the oldest go on unacknowledged.
///
/// **Urgent data.** With the `oob` policy the byte a segment's urgent pointer marks is not part of the stream;
/// the sequence numbers after it, acknowledgements included, are shifted so that the stream stays
/// contiguous, as Suricata does.
struct InspectedStream: Sendable {
    /// Suricata's default `stream.reassembly.toserver-chunk-size` and `toclient-chunk-size`.
    static let chunkSize = 2560
    /// The most bytes held for either consumer.
    static let heldLimit = 256 * 1024

    var reassembler: StreamReassembler
    /// The application layer completed a message in this direction since the last chunk.
    var rawTriggered = false
    /// In-order bytes the application layer has not been given.
    private var unparsed: [UInt8] = []
    /// In-order bytes raw stream inspection has not looked at.
    private var uninspected: [UInt8] = []
    /// How many bytes of the stream the receiver acknowledged, counted like `reassembler.deliveredBytes`.
    private var acknowledged: UInt64 = 0
    /// Urgent bytes taken out of band so far.
    private var outOfBandBytes: UInt32 = 0

    init(configuration: StreamConfiguration) {
        reassembler = StreamReassembler(configuration: configuration)
    }

    /// Feeds one segment to the reassembler (its out-of-band byte taken out) and returns the bytes that
    /// became contiguous.
    mutating func add(
        sequence: UInt32, payload: UnsafeRawBufferPointer, syn: Bool, fin: Bool, urgentPointer: UInt16?, policy: UrgentPolicy
    ) -> [UInt8] {
        let sequence = sequence &- outOfBandBytes
        guard policy == .outOfBand, let pointer = urgentPointer.map(Int.init), pointer >= 1, pointer <= payload.count else {
            return reassembler.insert(sequence: sequence, payload: payload, syn: syn, fin: fin)
        }
        var inBand = Array(payload)
        inBand.remove(at: pointer - 1)
        outOfBandBytes &+= 1
        return inBand.withUnsafeBytes { reassembler.insert(sequence: sequence, payload: $0, syn: syn, fin: fin) }
    }

    /// Whether bytes are held for the application layer.
    var hasUnparsed: Bool { !unparsed.isEmpty }

    /// Keeps `bytes`, just delivered by the reassembler, until they are acknowledged.
    mutating func hold(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        unparsed += bytes
        uninspected += bytes
    }

    /// The receiver acknowledged every byte before sequence number `acknowledgement`.
    mutating func acknowledge(_ acknowledgement: UInt32) {
        guard let next = reassembler.nextSequence else { return }
        // Delivered bytes the acknowledgement does not cover yet (none when it covers more, as a FIN's).
        let outstanding = UInt64(max(0, Int64(Int32(bitPattern: next &- (acknowledgement &- outOfBandBytes)))))
        let delivered = reassembler.deliveredBytes
        acknowledged = max(acknowledged, delivered - min(delivered, outstanding))
    }

    /// The held bytes the application layer may parse now: the acknowledged ones, all at the end of the
    /// stream.
    mutating func takeParsable(endOfStream: Bool) -> [UInt8] {
        let count = takeCount(held: unparsed.count, endOfStream: endOfStream)
        return Self.take(count, from: &unparsed)
    }

    /// The chunk raw stream inspection looks at now, if one is due.
    mutating func takeChunk(endOfStream: Bool) -> [UInt8]? {
        let count = takeCount(held: uninspected.count, endOfStream: endOfStream)
        let forced = count > acknowledgedCount(held: uninspected.count)
        guard count > 0, endOfStream || forced || rawTriggered || count >= Self.chunkSize else { return nil }
        rawTriggered = false
        return Self.take(count, from: &uninspected)
    }

    /// How many of the `held` last delivered bytes are acknowledged.
    private func acknowledgedCount(held: Int) -> Int {
        let start = reassembler.deliveredBytes - UInt64(held)
        return acknowledged <= start ? 0 : Int(min(acknowledged - start, UInt64(held)))
    }

    /// How many of the `held` bytes go on now: the acknowledged ones (all at the end of the stream), and at
    /// least those beyond `heldLimit`.
    private func takeCount(held: Int, endOfStream: Bool) -> Int {
        endOfStream ? held : max(acknowledgedCount(held: held), held - Self.heldLimit)
    }

    private static func take(_ count: Int, from held: inout [UInt8]) -> [UInt8] {
        guard count > 0 else { return [] }
        if count == held.count {
            defer { held = [] }
            return held
        }
        let taken = Array(held[..<count])
        held.removeFirst(count)
        return taken
    }
}
