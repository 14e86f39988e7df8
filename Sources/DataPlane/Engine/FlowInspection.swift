public import Rules
import Shared

/// What the stateful side keeps per flow beyond its state machine: each TCP direction's stream, the
/// application-layer parsers, the transaction parts waiting to be inspected and the rule engine's flowbits.
/// Created with the flow; dropped with it.
///
/// A transaction part is inspected with a packet of its own direction, as Suricata inspects a direction's
/// transactions with that direction's packets. Inline that is the packet that completed it. In IDS mode the
/// application layer reads a direction's bytes when the other side acknowledges them (`InspectedStream`), so
/// a part waits for the next packet its direction sends — or for the end of the flow (`finish`).
public struct FlowInspection: Sendable {
    /// How a flow's TCP segments reach the inspection engines.
    struct StreamSettings {
        /// Bytes go on as they arrive: inline mode, or a one-sided session that nothing will acknowledge.
        /// Otherwise they go on once acknowledged (IDS mode).
        var immediate: Bool
        /// The session is closed (RST, or both FINs): what its streams hold goes on.
        var closed: Bool
        /// The session is established (handshake completed, or picked up midstream): before that the rule
        /// engine sees no application layer, as Suricata's detection looks at the application layer only on
        /// packets of an established stream, so transaction parts keep waiting.
        var established: Bool
        /// The flow was picked up without its handshake (protocol detection may turn it around).
        var pickedUpMidstream: Bool
        var serverPort: UInt16
        /// Whether the application layer keeps HTTP bodies for the rules (`StatefulEngine.inspectsHTTPBodies`
        /// of the snapshot in force when the flow's application layer starts).
        var keepsBodies: Bool
        var limits: StreamConfiguration
        var urgentPolicy: UrgentPolicy
    }

    var toServer: InspectedStream?
    var toClient: InspectedStream?
    var appLayer: AppLayerState?
    /// Transaction parts waiting for a packet of their direction.
    private var waitingToServer: [AppLayerRecord] = []
    private var waitingToClient: [AppLayerRecord] = []
    /// The rule engine's memory (flowbits).
    public var rules = FlowRuleState()
    /// The last TLS handshake and HTTP transaction seen, for the `tls`/`http` members of alert events.
    var lastTLS: EveTLS?
    var lastHTTP: EveHTTP?
    var alerted = false

    public init() {}

    /// What protocol detection concluded so far.
    var appProtocol: AppProtocolState {
        guard let appLayer else { return .unknown }
        if let detected = appLayer.detected { return .detected(detected) }
        return appLayer.detectionFailed ? .failed : .unknown
    }

    /// Whether content rules may inspect the flow's raw bytes: not once it carries encrypted TLS
    /// application data.
    var payloadInspected: Bool { !(appLayer?.isEncrypted ?? false) }

    /// Takes one TCP segment of `direction`: in IDS mode first hands the application layer the other
    /// direction's bytes it acknowledges (not during the handshake, as Suricata's stream engine), then
    /// reassembles its own payload.
    mutating func ingest(
        _ packet: DecodedPacket, payload: UnsafeRawBufferPointer, direction: FlowDirection, settings: StreamSettings
    ) -> InspectionStep {
        var step = InspectionStep()
        var direction = direction
        let syn = packet.tcpFlags & TCPFlagBits.syn != 0
        if !settings.immediate {
            let peer = direction.reversed
            if packet.tcpFlags & TCPFlagBits.ack != 0, !syn { self[stream: peer]?.acknowledge(packet.tcpAcknowledgement) }
            parseHeld(peer, endOfStream: settings.closed, settings: settings, into: &step)
            if step.reversed { direction = direction.reversed }
        }

        if self[stream: direction] == nil { self[stream: direction] = InspectedStream(configuration: settings.limits) }
        let fin = packet.tcpFlags & TCPFlagBits.fin != 0
        let queued = self[stream: direction]!.reassembler.pendingBytes
        let urgentPointer = packet.tcpFlags & TCPFlagBits.urg != 0 ? packet.tcpUrgentPointer : nil
        let delivered = self[stream: direction]!.add(
            sequence: packet.tcpSequence, payload: payload, syn: syn, fin: fin, urgentPointer: urgentPointer,
            policy: settings.urgentPolicy
        )
        // A retransmission of bytes already passed on is not taken into the stream: rules look at it on its own,
        // as Suricata does with a segment it does not add.
        step.payloadInStream = !delivered.isEmpty || self[stream: direction]!.reassembler.pendingBytes > queued
        if settings.immediate {
            if !delivered.isEmpty {
                if delivered.count == payload.count,
                   delivered.withUnsafeBytes({ $0.bytesEqual(at: 0, payload, at: 0, count: payload.count) }) {
                    step.payloadIsStream = true
                } else {
                    step.chunk = delivered
                }
                let turned = step.reversed
                delivered.withUnsafeBytes { parse($0, direction, settings: settings, into: &step) }
                if step.reversed != turned { direction = direction.reversed }
            }
        } else {
            self[stream: direction]!.hold(delivered)
            if settings.closed {
                let turned = step.reversed
                parseHeld(direction, endOfStream: true, settings: settings, into: &step)
                if step.reversed != turned { direction = direction.reversed }
            }
            step.chunk = self[stream: direction]?.takeChunk(endOfStream: settings.closed) ?? []
        }
        if settings.established { step.transactions = takeWaiting(direction) }
        return step
    }

    /// Takes one UDP datagram of `direction`. When detection finds the flow runs the other way round (a DNS
    /// response first), `step.reversed` is set and the datagram counts as the other direction's.
    mutating func ingest(datagram payload: UnsafeRawBufferPointer, direction: FlowDirection, serverPort: UInt16) -> InspectionStep {
        var step = InspectionStep()
        if appLayer == nil { appLayer = AppLayerState(transport: 17, serverPort: serverPort) }
        route(appLayer!.feed(payload, direction: direction), into: &step)
        var direction = direction
        if appLayer!.takeReversal() {
            step.reversed = true
            direction = direction.reversed
        }
        step.transactions = takeWaiting(direction)
        return step
    }

    /// The flow ends with nothing more to come (the capture ended): what it holds goes on, as Suricata's
    /// end-of-flow pseudo packets take it — held bytes to the application layer, which completes what the
    /// end completes, then to raw stream inspection. Returns the records to log and, per direction with
    /// anything to inspect, its last chunk and transaction parts.
    mutating func finish(settings: StreamSettings) -> (
        records: [AppLayerRecord], reversed: Bool,
        directions: [(direction: FlowDirection, chunk: [UInt8], transactions: [AppLayerRecord])]
    ) {
        var step = InspectionStep()
        // Detection may turn the flow around while the held bytes are parsed: drain until nothing is left.
        while let direction = [FlowDirection.toServer, .toClient].first(where: { self[stream: $0]?.hasUnparsed == true }) {
            parseHeld(direction, endOfStream: true, settings: settings, into: &step)
        }
        if appLayer != nil { route(appLayer!.finish(), into: &step) }
        var directions: [(direction: FlowDirection, chunk: [UInt8], transactions: [AppLayerRecord])] = []
        for direction in [FlowDirection.toServer, .toClient] {
            let chunk = self[stream: direction]?.takeChunk(endOfStream: true) ?? []
            let transactions = takeWaiting(direction)
            if !chunk.isEmpty || !transactions.isEmpty { directions.append((direction, chunk, transactions)) }
        }
        return (step.records, step.reversed, directions)
    }

    // MARK: Streams

    /// The stream of `direction`, modified in place.
    private subscript(stream direction: FlowDirection) -> InspectedStream? {
        get { direction == .toServer ? toServer : toClient }
        _modify {
            if direction == .toServer { yield &toServer } else { yield &toClient }
        }
    }

    // MARK: Application layer

    /// Parses what `direction` holds for the application layer (the acknowledged bytes, or all).
    private mutating func parseHeld(
        _ direction: FlowDirection, endOfStream: Bool, settings: StreamSettings, into step: inout InspectionStep
    ) {
        let bytes = self[stream: direction]?.takeParsable(endOfStream: endOfStream) ?? []
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { parse($0, direction, settings: settings, into: &step) }
    }

    /// Feeds in-order bytes of `direction` to the application layer and routes what it reports. When
    /// detection turns the flow around, the streams and waiting parts swap and `step.reversed` toggles.
    private mutating func parse(
        _ bytes: UnsafeRawBufferPointer, _ direction: FlowDirection, settings: StreamSettings, into step: inout InspectionStep
    ) {
        if appLayer == nil {
            appLayer = AppLayerState(
                transport: 6, serverPort: settings.serverPort, pickedUpMidstream: settings.pickedUpMidstream, keepsBodies: settings.keepsBodies
            )
        }
        let records = appLayer!.feed(bytes, direction: direction)
        var direction = direction
        if appLayer!.takeReversal() {
            swap(&toServer, &toClient)
            swap(&waitingToServer, &waitingToClient)
            step.reversed.toggle()
            direction = direction.reversed
        }
        // Raw stream inspection follows the application layer's messages where it reports their ends (Suricata's
        // parsers trigger it), else every acknowledged piece.
        if !appLayer!.reportsMessageEnds(direction) { self[stream: direction]?.rawTriggered = true }
        route(records, into: &step)
    }

    /// Logs `records` and queues their transaction parts for a packet of their direction.
    private mutating func route(_ records: [AppLayerRecord], into step: inout InspectionStep) {
        for record in records {
            step.records.append(record)
            let direction = record.transaction.direction
            if record.endsMessage { self[stream: direction]?.rawTriggered = true }
            guard record.kind != .logOnly else { continue }
            if direction == .toServer { waitingToServer.append(record) } else { waitingToClient.append(record) }
        }
    }

    private mutating func takeWaiting(_ direction: FlowDirection) -> [AppLayerRecord] {
        if direction == .toServer {
            defer { waitingToServer = [] }
            return waitingToServer
        }
        defer { waitingToClient = [] }
        return waitingToClient
    }
}
