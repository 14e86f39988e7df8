/// The bytes of one packet the rule engine may inspect, besides its header facts. The buffers are borrowed
/// for the duration of one `evaluate` call.
public struct InspectionData {
    /// The packet's transport payload.
    public var payload: UnsafeRawBufferPointer
    /// The chunk of this direction's reassembled TCP stream to inspect with this packet, when it is not
    /// `payload` itself (out-of-order data arriving, acknowledged data in IDS mode); nil when none.
    public var stream: UnsafeRawBufferPointer?
    /// Whether `payload` is (also) the next in-order stream data of a tracked TCP session, so that
    /// stream-only rules (`tcp-stream`, `flow:only_stream`) may inspect it.
    public var payloadIsStream: Bool
    /// Whether the payload was taken into a reassembled TCP stream: rules that inspect streams then see it
    /// in the stream chunks (`stream`, or `payload` when `payloadIsStream`), not on its own.
    public var payloadInStream: Bool = false
    /// No packet: the flow ended and this evaluation inspects the stream data and transactions it left
    /// (Suricata's end-of-flow pseudo packets). Only rules that look at those can match.
    public var endOfFlow: Bool = false
    /// Whether a match on stream data decides for the whole flow (the session is established); data sent
    /// before the handshake completed decides for its packet only.
    public var streamDecidesFlow: Bool = true
    /// Whether rules with payload keywords may inspect this packet's payload and stream data. Off once the
    /// flow carries encrypted TLS application data (Suricata's default `encryption-handling`): such rules
    /// are then skipped, as Suricata skips payload rules on a flow with payload inspection disabled.
    public var payloadInspection: Bool = true
    /// Application-layer transaction parts to inspect with this packet: those of its direction that its flow
    /// completed since the last packet of this direction.
    public var transactions: [AppTransaction]
    /// The flow's application protocol, as detected so far.
    public var appProtocol: AppProtocolState

    public init(
        payload: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0), stream: UnsafeRawBufferPointer? = nil,
        payloadIsStream: Bool = false, transactions: [AppTransaction] = [], appProtocol: AppProtocolState = .unknown
    ) {
        self.payload = payload
        self.stream = stream
        self.payloadIsStream = payloadIsStream
        self.transactions = transactions
        self.appProtocol = appProtocol
    }

    /// A packet with no payload and no application layer.
    public static var empty: InspectionData { InspectionData() }
}

/// What protocol detection concluded for a flow.
public enum AppProtocolState: Sendable, Hashable {
    /// Nothing recognised yet.
    case unknown
    case detected(AppProtocol)
    /// Detection gave up (no parser recognised the traffic).
    case failed

    public var detected: AppProtocol? {
        if case .detected(let app) = self { return app }
        return nil
    }
}

/// The rule engine's memory of one flow: the flowbits set by matching rules. Kept by the data plane with
/// the flow; starts empty.
public struct FlowRuleState: Sendable, Hashable {
    /// Bit `n` of word `n / 64` is flowbit `n` of the compiled rule set (names interned at compile time).
    var words: [UInt64] = []
    /// The engine generation the bits belong to: a new rule set renumbers flowbits, so old bits are dropped.
    var generation: ObjectIdentifier?

    public init() {}

    @inline(__always)
    func isSet(_ bit: Int) -> Bool {
        let word = bit >> 6
        return word < words.count && words[word] & (1 << UInt64(bit & 63)) != 0
    }

    @inline(__always)
    mutating func set(_ bit: Int, _ value: Bool) {
        let word = bit >> 6
        if word >= words.count {
            guard value else { return }
            words += Array(repeating: 0, count: word - words.count + 1)
        }
        if value {
            words[word] |= 1 << UInt64(bit & 63)
        } else {
            words[word] &= ~(1 << UInt64(bit & 63))
        }
    }
}

/// Per-thread working memory of the engine (candidate lists, prefilter marks), reused across packets so
/// that evaluation does not allocate. Each worker thread owns one.
public struct EngineScratch: Sendable {
    /// `mark[rule] == stamp` when the rule is already a candidate for this packet.
    var mark: [UInt32] = []
    var stamp: UInt32 = 0
    var candidates: [Int32] = []
    /// Room for `mergeCandidates`.
    private var merged: [Int32] = []

    public init() {}

    /// Starts a new packet for an engine of `ruleCount` rules.
    @inline(__always)
    mutating func begin(ruleCount: Int) {
        if mark.count < ruleCount { mark = Array(repeating: 0, count: ruleCount) }
        stamp &+= 1
        if stamp == 0 {
            for index in mark.indices { mark[index] = 0 }
            stamp = 1
        }
        candidates.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    mutating func add(_ rule: Int32) {
        let index = Int(rule)
        if mark[index] != stamp {
            mark[index] = stamp
            candidates.append(rule)
        }
    }

    /// Sorts the candidates after `sortedPrefix` and merges them into the ascending ones before it.
    mutating func mergeCandidates(sortedPrefix: Int) {
        candidates[sortedPrefix...].sort()
        guard sortedPrefix > 0, candidates[sortedPrefix - 1] > candidates[sortedPrefix] else { return }
        merged.removeAll(keepingCapacity: true)
        merged.appendMerging(candidates[..<sortedPrefix], candidates[sortedPrefix...])
        swap(&candidates, &merged)
    }
}

extension Array where Element == Int32 {
    /// Appends the elements of the ascending `left` and `right` in ascending order.
    mutating func appendMerging(_ left: ArraySlice<Int32>, _ right: ArraySlice<Int32>) {
        var a = left.startIndex
        var b = right.startIndex
        while a < left.endIndex, b < right.endIndex {
            if left[a] < right[b] {
                append(left[a])
                a += 1
            } else {
                append(right[b])
                b += 1
            }
        }
        append(contentsOf: left[a...])
        append(contentsOf: right[b...])
    }
}
