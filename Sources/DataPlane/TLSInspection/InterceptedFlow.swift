public import Rules
public import Shared

/// The stateful engine's view of one connection the TLS engine intercepts, as AWS Network Firewall
/// evaluates an inspected connection: in stages, each of which must allow it (a rule at an earlier stage
/// never decides a later one).
///
/// 1. The connection (addresses, ports, protocol) was evaluated on its SYN by the packet path, before
///    the SYN was diverted here.
/// 2. The TLS handshake: the client's ClientHello, parsed by the same TLS parser the packet path uses,
///    so `tls.sni`, `tls.version`, `ja3.hash` and `app-layer-protocol:tls` rules see it.
/// 3. The decrypted bytes in both directions, parsed by the same application-layer parsers (HTTP/1.x),
///    so `http.host`, `http.uri`, `content`, … rules see the requests and responses inside TLS. A TLS
///    keyword cannot fire again here: the decrypted stream carries no TLS handshake.
///
/// Flowbits carry across stages. A `pass` that matched on decrypted data ends inspection of the
/// decrypted stream; `drop` and `reject` end the connection. Pure: time is an argument, events are
/// returned.
public struct InterceptedFlow: Sendable {
    /// What an inspection step decided, with its EVE events.
    public struct Outcome: Sendable {
        public var verdict: StatefulVerdict
        /// Why (the engine's reason: `rule`, `aws:drop_established`, …).
        public var reason: String
        public var events: [EveEvent]
    }

    /// The EVE `flow_id` of every event of the connection.
    public let id: UInt64
    public let client: (address: IPAddress, port: UInt16)
    public let server: (address: IPAddress, port: UInt16)
    /// The handshake as the client sent it (SNI, version, JA3), once the ClientHello was inspected.
    public private(set) var clientHello: EveTLS?
    /// Whether a rule alerted on the connection.
    public private(set) var alerted = false

    private var handshake: AppLayerState
    private var decrypted: AppLayerState
    private var rules = FlowRuleState()
    private var decryptedPassed = false
    private var lastHTTP: EveHTTP?

    /// `keepsBodies`: whether the decrypted HTTP bodies are kept for the rules
    /// (`StatefulEngine.inspectsHTTPBodies`).
    public init(
        id: UInt64, client: (address: IPAddress, port: UInt16), server: (address: IPAddress, port: UInt16), keepsBodies: Bool = true
    ) {
        self.id = id
        self.client = client
        self.server = server
        handshake = AppLayerState(transport: 6, serverPort: server.port)
        decrypted = AppLayerState(transport: 6, serverPort: server.port, keepsBodies: keepsBodies)
    }

    /// Stage 2: the ClientHello's bytes (every record up to and including the ClientHello).
    public mutating func inspectClientHello(
        _ bytes: [UInt8], engine: StatefulEngine, scratch: inout EngineScratch, wallClock: Double
    ) -> Outcome {
        let records = bytes.withUnsafeBytes { handshake.feed($0, direction: .toServer) }
        for record in records {
            if case .tls(let tls)? = record.metadata { clientHello = tls }
        }
        let appProtocol = Self.protocolState(handshake)
        let outcome = bytes.withUnsafeBytes { payload in
            evaluate(
                payload, direction: .toServer, records: records, appProtocol: appProtocol, stage: .handshake, engine: engine,
                scratch: &scratch, wallClock: wallClock
            )
        }
        return Outcome(verdict: outcome.verdict, reason: outcome.reason, events: outcome.events)
    }

    /// Stage 3: decrypted bytes of `direction`, in order.
    public mutating func inspectDecrypted(
        _ bytes: UnsafeRawBufferPointer, direction: FlowDirection, engine: StatefulEngine, scratch: inout EngineScratch,
        wallClock: Double
    ) -> Outcome {
        if decryptedPassed { return Outcome(verdict: .pass, reason: "pass", events: []) }
        let records = decrypted.feed(bytes, direction: direction)
        var events = appEvents(records, wallClock: wallClock)
        let outcome = evaluate(
            bytes, direction: direction, records: records, appProtocol: Self.protocolState(decrypted), stage: .decrypted, engine: engine,
            scratch: &scratch, wallClock: wallClock
        )
        if outcome.verdict == .pass { decryptedPassed = true }
        events += outcome.events
        return Outcome(verdict: outcome.verdict, reason: outcome.reason, events: events)
    }

    /// The connection ended: the EVE events of transactions not logged yet (an HTTP request whose response
    /// never completed).
    public mutating func finish(wallClock: Double) -> [EveEvent] {
        let records = decrypted.finish()
        return appEvents(records, wallClock: wallClock)
    }

    /// An EVE event of the connection, oriented client → server.
    public func event(type: String, wallClock: Double) -> EveEvent {
        EveEvent(
            timestamp: EveFormat.timestamp(wallClock), flow_id: id, event_type: type, src_ip: client.address.description,
            src_port: client.port, dest_ip: server.address.description, dest_port: server.port, proto: "TCP"
        )
    }

    // MARK: Evaluation

    /// What protocol detection concluded on `parser` so far.
    private static func protocolState(_ parser: AppLayerState) -> AppProtocolState {
        if let detected = parser.detected { return .detected(detected) }
        return parser.detectionFailed ? .failed : .unknown
    }

    /// The stage an evaluation belongs to, which decides the application fields of its alerts.
    private enum Stage {
        case handshake, decrypted
    }

    private mutating func evaluate(
        _ payload: UnsafeRawBufferPointer, direction: FlowDirection, records: [AppLayerRecord], appProtocol: AppProtocolState,
        stage: Stage, engine: StatefulEngine, scratch: inout EngineScratch, wallClock: Double
    ) -> Outcome {
        let inspected = records.filter { $0.kind != .logOnly }
        var facts = PacketFacts(
            source: direction == .toServer ? client.address : server.address,
            destination: direction == .toServer ? server.address : client.address,
            sourcePort: direction == .toServer ? client.port : server.port,
            destinationPort: direction == .toServer ? server.port : client.port,
            ipProtocol: 6, tcpFlags: 0x18, ttl: 64, payloadLength: payload.count
        )
        facts.tcpWindow = 65535
        var data = InspectionData(
            payload: payload, payloadIsStream: true, transactions: inspected.map(\.transaction), appProtocol: appProtocol
        )
        data.streamDecidesFlow = true
        let context = FlowContext(direction: direction, established: true, firstPacketInDirection: false)
        let decision = engine.evaluate(facts, flow: context, data: data, state: &rules, scratch: &scratch)
        var events: [EveEvent] = []
        if !decision.alerts.isEmpty {
            alerted = true
            for alert in decision.alerts {
                var event = self.event(type: "alert", wallClock: wallClock)
                if direction == .toClient { event.reverse() }
                event.pkt_src = "tls/decrypted"
                event.alert = EveAlert(alert, enforced: true)
                event.app_proto = appProtocol.detected?.rawValue
                switch stage {
                case .handshake:
                    event.tls = clientHello
                case .decrypted:
                    // The transaction the rule matched, else the latest request; and the connection's SNI.
                    let record = alert.transaction.flatMap { $0 < inspected.count ? inspected[$0] : nil }
                    if case .http(let http)? = record?.metadata {
                        event.http = http
                    } else {
                        event.http = lastHTTP
                    }
                    if let sni = clientHello?.sni { event.tls = EveTLS(sni: sni) }
                }
                events.append(event)
            }
        }
        return Outcome(verdict: decision.verdict, reason: decision.reason, events: events)
    }

    /// The `http` (and other application) events of `records`; remembers the latest request.
    private mutating func appEvents(_ records: [AppLayerRecord], wallClock: Double) -> [EveEvent] {
        var events: [EveEvent] = []
        for record in records {
            if case .http(let http)? = record.metadata { lastHTTP = http }
            for object in record.eve {
                var event = self.event(type: object.eventType, wallClock: wallClock)
                event.app_proto = object.eventType
                object.attach(to: &event)
                if case .http = object, let sni = clientHello?.sni { event.tls = EveTLS(sni: sni) }
                events.append(event)
            }
        }
        return events
    }
}

extension EveEvent {
    /// Swaps source and destination (an event about the server → client direction).
    mutating func reverse() {
        swap(&src_ip, &dest_ip)
        swap(&src_port, &dest_port)
    }
}
