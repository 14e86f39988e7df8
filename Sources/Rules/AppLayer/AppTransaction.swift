/// What one application-layer transaction offers the rule engine: the values of its sticky buffers, filled
/// by the data plane's parsers (an HTTP request or response, a TLS handshake direction, a DNS message).
/// Pure data: the engine reads it, never the parsers.
public struct AppTransaction: Sendable, Hashable {
    public var appProtocol: AppProtocol
    /// The direction whose bytes filled it.
    public var direction: FlowDirection
    /// The transaction's number in its flow, counted from 0 (HTTP: the request/response pair; TLS: 0;
    /// DNS: each message).
    public var id: Int
    /// Values per buffer, indexed by `InspectionBuffer.index`. A buffer may hold several values (one per
    /// DNS question, one per certificate); an absent field has none.
    public var values: [[[UInt8]]]
    /// `tls.version`: the record or negotiated version (0x0303 for TLS 1.2), when known.
    public var tlsVersion: UInt16?
    /// How far this part takes its message (`InspectionBuffer.progress`): an HTTP message is reported as its
    /// start line, then its head, then its body complete, each part holding every buffer known so far.
    public var progress: Int
    /// The progress the earlier parts of the same transaction and direction reached: rules whose buffers
    /// were all available then were inspected then, and are not inspected again.
    public var previousProgress: Int
    /// On a part of the direction to the client: the values of the same transaction's part to the server
    /// (the HTTP request, the TLS ClientHello), indexed like `values`; empty when there is none. Rules that
    /// inspect buffers of both directions (`http.uri` with `http.stat_code`) read them here.
    public var requestValues: [[[UInt8]]] = []

    public init(
        appProtocol: AppProtocol, direction: FlowDirection, id: Int, tlsVersion: UInt16? = nil, progress: Int = 1,
        previousProgress: Int = 0
    ) {
        self.appProtocol = appProtocol
        self.direction = direction
        self.id = id
        self.values = Array(repeating: [], count: InspectionBuffer.allCases.count)
        self.tlsVersion = tlsVersion
        self.progress = progress
        self.previousProgress = previousProgress
    }

    /// Whether a rule whose buffers need `progress` is inspected on this part: the part reaches it and no
    /// earlier part did.
    @inline(__always)
    public func completes(progress needed: Int) -> Bool {
        previousProgress < needed && needed <= progress
    }

    /// The values of `buffer` (empty when the transaction has none).
    public subscript(buffer: InspectionBuffer) -> [[UInt8]] {
        get { values[buffer.index] }
        set { values[buffer.index] = newValue }
    }

    /// Sets a single-valued buffer.
    public mutating func set(_ buffer: InspectionBuffer, _ value: [UInt8]) {
        values[buffer.index] = [value]
    }

    /// Adds one value to a multi-valued buffer.
    public mutating func append(_ buffer: InspectionBuffer, _ value: [UInt8]) {
        values[buffer.index].append(value)
    }
}
