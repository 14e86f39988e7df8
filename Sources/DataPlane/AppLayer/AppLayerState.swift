public import Rules

/// The application-layer state of one flow, a value the flow table keeps: protocol detection by content,
/// then the HTTP, TLS or DNS parser, fed the flow's bytes in order.
///
/// For TCP, `feed` takes the next in-order bytes of one direction's reassembled stream, split anywhere;
/// for UDP, one datagram per call. Until a protocol is recognised each direction's first bytes are kept
/// (at most `AppLayerLimits.detectionBytes`) and replayed into the parser once it is chosen. Detection
/// gives up after that many bytes, or as soon as both directions have shown bytes no parser accepts;
/// a parser that fails on a direction stops reading it. Every buffer is bounded
/// (`AppLayerLimits`), so a flow's state stays small whatever the peers send.
///
/// Call `finish()` when the flow ends (FIN/RST or timeout): transactions are logged at Suricata's points
/// (an HTTP transaction when its response ends, a TLS handshake once the certificate is seen), and the
/// end of the flow is the last such point.
///
/// On a TCP flow picked up midstream, detection may find that the side that spoke first is the server (its
/// first bytes are a response): the bytes are then parsed as the other direction's, and `takeReversal()`
/// tells the caller to turn the flow around, as Suricata does.
public struct AppLayerState: Sendable {
    /// 6 (TCP) or 17 (UDP).
    public let transport: UInt8
    /// The server's port, used only to prefer DNS on port 53.
    public let serverPort: UInt16
    /// Whether the flow was picked up without its handshake, so its direction is a guess detection may undo.
    public let pickedUpMidstream: Bool
    /// How much of each HTTP body is kept for the body buffers.
    public let keptBodyBytes: Int
    /// The protocol recognised, if any.
    public private(set) var detected: AppProtocol?
    /// Detection gave up: nothing will be parsed on this flow.
    public private(set) var detectionFailed = false
    /// Detection turned the flow around and the caller was not told yet.
    private var reversalPending = false

    private var probeToServer: [UInt8] = []
    private var probeToClient: [UInt8] = []
    private var rejectedToServer = false
    private var rejectedToClient = false
    private var probedBytes = 0
    private var probedDatagrams = 0
    private var finished = false

    private var http: HTTPSession?
    private var tls: TLSSession?
    private var dns: DNSSession?

    /// `keepsBodies`: whether HTTP bodies are kept (up to `AppLayerLimits.bodyInspectionBytes`) for
    /// `http.request_body` and `http.response_body`; without it they are counted and skipped, which
    /// saves copying them and the memory they take (see `StatefulEngine.inspectsHTTPBodies`).
    public init(transport: UInt8, serverPort: UInt16, pickedUpMidstream: Bool = false, keepsBodies: Bool = true) {
        self.transport = transport
        self.serverPort = serverPort
        self.pickedUpMidstream = pickedUpMidstream
        keptBodyBytes = keepsBodies ? AppLayerLimits.bodyInspectionBytes : 0
    }

    /// Whether detection found, since the last call, that the flow runs the other way round: what was fed as
    /// one direction's bytes was the other's, and the caller should swap its directions.
    public mutating func takeReversal() -> Bool {
        defer { reversalPending = false }
        return reversalPending
    }

    /// Whether the connection carries encrypted TLS application data: its raw bytes are not inspected by
    /// content rules from here on (Suricata's default TLS `encryption-handling`).
    public var isEncrypted: Bool { tls?.encrypted ?? false }

    /// Nothing more will be parsed: detection failed, both directions stopped, or `finish()` ran. The
    /// caller may stop feeding.
    public var isFinished: Bool {
        if finished || detectionFailed { return true }
        guard detected != nil else { return false }
        return isClosed(.toServer) && isClosed(.toClient)
    }

    /// Feeds the next bytes of `direction` and returns the transaction parts they completed.
    public mutating func feed(_ data: UnsafeRawBufferPointer, direction: FlowDirection) -> [AppLayerRecord] {
        guard !finished, !detectionFailed, !data.isEmpty else { return [] }
        var data = data
        if http != nil {
            // The bulk of a large body is only counted: it is not copied for the parser.
            let skipped = http!.skipBody(direction, upTo: data.count)
            if skipped == data.count { return [] }
            data = UnsafeRawBufferPointer(rebasing: data[skipped...])
        }
        let bytes = ArraySlice(data)
        if detected != nil {
            return parse(bytes, direction: direction)
        }
        return transport == 17 ? detectDatagram(bytes, direction: direction) : detectStream(bytes, direction: direction)
    }

    /// The flow ended: completes what the close completes (an HTTP body delimited by the close) and
    /// returns the EVE records of transactions not logged yet. Further feeds are ignored.
    public mutating func finish() -> [AppLayerRecord] {
        guard !finished else { return [] }
        finished = true
        probeToServer = []
        probeToClient = []
        var records: [AppLayerRecord] = []
        if http != nil { records += http!.finish() }
        if tls != nil { records += tls!.finish() }
        return records
    }

    /// Whether the parser of `direction` reports where its messages end (`AppLayerRecord.endsMessage`), as
    /// HTTP does while it reads the direction.
    func reportsMessageEnds(_ direction: FlowDirection) -> Bool {
        http != nil && !isClosed(direction)
    }

    private func isClosed(_ direction: FlowDirection) -> Bool {
        if direction == .toServer ? rejectedToServer : rejectedToClient { return true }
        if let http { return http.isClosed(direction) }
        if let tls { return tls.isClosed(direction) }
        if let dns { return dns.isClosed(direction) }
        return false
    }

    private mutating func parse(_ bytes: ArraySlice<UInt8>, direction: FlowDirection) -> [AppLayerRecord] {
        if direction == .toServer ? rejectedToServer : rejectedToClient { return [] }
        if http != nil { return http!.feed(bytes, direction: direction) }
        if tls != nil { return tls!.feed(bytes, direction: direction) }
        if dns != nil { return dns!.feed(bytes, direction: direction) }
        return []
    }

    private mutating func detectStream(_ bytes: ArraySlice<UInt8>, direction: FlowDirection) -> [AppLayerRecord] {
        if direction == .toServer ? rejectedToServer : rejectedToClient { return [] }
        var seen = direction == .toServer ? probeToServer : probeToClient
        seen.append(contentsOf: bytes)
        probedBytes += bytes.count
        let result = ProtocolProbe.stream(seen, direction: direction, serverPort: serverPort, reversible: pickedUpMidstream)
        switch result {
        case .match(let proto), .reversed(let proto):
            start(proto)
            var direction = direction
            // The other side's first bytes, parsed as its own (whichever label it had).
            let other = direction == .toServer ? probeToClient : probeToServer
            if case .reversed = result {
                reversalPending = true
                direction = direction == .toServer ? .toClient : .toServer
                swap(&rejectedToServer, &rejectedToClient)
            }
            probeToServer = []
            probeToClient = []
            var records: [AppLayerRecord] = []
            let otherDirection: FlowDirection = direction == .toServer ? .toClient : .toServer
            // Bytes the other direction sent first come first.
            if !other.isEmpty { records += parse(other[...], direction: otherDirection) }
            records += parse(seen[...], direction: direction)
            return records
        case .needMore:
            if seen.count > AppLayerLimits.detectionBytes {
                reject(direction)
            } else if direction == .toServer {
                probeToServer = seen
            } else {
                probeToClient = seen
            }
        case .noMatch:
            reject(direction)
        }
        if (rejectedToServer && rejectedToClient) || probedBytes > 2 * AppLayerLimits.detectionBytes {
            giveUp()
        }
        return []
    }

    private mutating func detectDatagram(_ bytes: ArraySlice<UInt8>, direction: FlowDirection) -> [AppLayerRecord] {
        if ProtocolProbe.datagram(Array(bytes), serverPort: serverPort) == .match(.dns) {
            start(.dns)
            var direction = direction
            // As Suricata's DNS probe: a response as the flow's first datagram means the flow runs the
            // other way round (its first packet was from the server).
            if probedDatagrams == 0, direction == .toServer, DNSMessage.isResponse(bytes) {
                reversalPending = true
                direction = .toClient
            }
            return parse(bytes, direction: direction)
        }
        probedDatagrams += 1
        probedBytes += bytes.count
        if probedDatagrams >= AppLayerLimits.detectionDatagrams || probedBytes > AppLayerLimits.detectionBytes {
            giveUp()
        }
        return []
    }

    private mutating func start(_ proto: AppProtocol) {
        detected = proto
        switch proto {
        case .http: http = HTTPSession(keptBodyBytes: keptBodyBytes)
        case .tls: tls = TLSSession()
        case .dns: dns = DNSSession(overTCP: transport != 17)
        }
    }

    private mutating func reject(_ direction: FlowDirection) {
        if direction == .toServer {
            rejectedToServer = true
            probeToServer = []
        } else {
            rejectedToClient = true
            probeToClient = []
        }
    }

    private mutating func giveUp() {
        detectionFailed = true
        probeToServer = []
        probeToClient = []
    }
}
