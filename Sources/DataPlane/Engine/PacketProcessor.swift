public import Shared
public import Rules

/// Settings of the packet path.
public struct PacketProcessorConfiguration: Sendable, Hashable {
    /// Accept packets while no snapshot is active (fail open); drop them otherwise (the default).
    public var failOpen: Bool
    /// Drop packets that cannot be decoded (the default); accept them otherwise.
    public var dropMalformed: Bool
    /// How many `drop` events to write per flow for packets dropped because the flow was already
    /// decided `drop` (later packets are counted, not logged, to avoid floods).
    public var flowDropEventsPerFlow: Int
    /// The flow table's size and timeouts (the TCP timeout is replaced by the snapshot's).
    public var flowTable: FlowTableConfiguration
    /// Whether drop and reject take effect (inline, the worker); false for an IDS-style replay, where
    /// drop rules only alert.
    public var enforce: Bool
    /// Whether TCP flows picked up without their handshake get stream reassembly and application-layer
    /// inspection (Suricata's `stream.midstream`).
    public var midstream: Bool
    /// What becomes of such flows when `midstream` is off.
    public var midstreamPolicy = MidstreamPolicy.ignore
    /// Per-direction reassembly limits.
    public var stream: StreamConfiguration
    /// What the stream engine does with TCP urgent data.
    public var urgentPolicy = UrgentPolicy.inline
    /// Whether content rules keep inspecting TLS connections once encrypted.
    public var tlsEncryptionHandling = TLSEncryptionHandling.default
    /// Whether stream data is inspected as it arrives (Suricata's `stream.inline`, what an inline worker
    /// does) or once its receiver acknowledged it (IDS mode, as Suricata inspects a capture by default).
    public var inlineStream = true
    /// The EVE `pkt_src` of alert and drop events.
    public var packetSource = "wire/nfq"
    /// What happens to connections in a TLS inspection scope.
    public var tlsEngine = TLSEngineAvailability.absent

    public init(
        failOpen: Bool = false, dropMalformed: Bool = true, flowDropEventsPerFlow: Int = 1,
        flowTable: FlowTableConfiguration = FlowTableConfiguration(), enforce: Bool = true, midstream: Bool = true,
        stream: StreamConfiguration = StreamConfiguration()
    ) {
        self.failOpen = failOpen
        self.dropMalformed = dropMalformed
        self.flowDropEventsPerFlow = flowDropEventsPerFlow
        self.flowTable = flowTable
        self.enforce = enforce
        self.midstream = midstream
        self.stream = stream
    }
}

/// Whether connections in a snapshot's TLS inspection scopes can be handed to a TLS engine.
public enum TLSEngineAvailability: Sendable, Hashable {
    /// No engine in this process (an offline replay): scopes are ignored and traffic is inspected as seen.
    case absent
    /// The engine listens: opening SYNs in scope are diverted to it.
    case listening
    /// The engine could not start: connections in scope are dropped (fail closed).
    case unavailable
}

/// The core of a worker: one packet in, one ``Verdict`` and its EVE events out. Pure (no I/O, time
/// is an argument) and single-threaded: the queue loop owns one and drives it from its thread.
///
/// Order as in AWS Network Firewall: the stateless engine first (`aws:pass` accepts, `aws:drop`
/// drops, `aws:forward_to_sfe` continues); then the stateful side: a flow already decided keeps its
/// verdict, otherwise the rule engine evaluates the packet with its flow context, and a flow-wide
/// pass, drop or reject is remembered on the flow.
///
/// Offload: a flow whose outcome can no longer change leaves the queue through a connmark verdict.
/// That holds when the stateless outcome of *both* directions is known (the ruleset does not look at
/// TCP flags, so it depends on the 5-tuple and direction only and the reverse direction can be
/// computed before any packet travels it) and each direction ends the same way — `aws:pass`, or
/// `aws:forward_to_sfe` into a flow decided pass or one the rule engine calls settled (`acceptFlow`);
/// `aws:drop`, or forward into a flow decided drop (`dropFlow`).
public struct PacketProcessor: Sendable {
    public var configuration: PacketProcessorConfiguration
    /// The tracked flows.
    public private(set) var flows: FlowTable
    private var counters = WorkerCounters()
    /// Per-snapshot custom-metric counts, indexed like the stateless engine's metric names.
    private var metricCounts: [UInt64] = []
    private var metricNames: [String] = []
    private var generation: UInt64 = 0
    /// The rule engine's working memory for this thread.
    private var scratch = EngineScratch()

    /// A processor with an empty flow table whose flow ids start at `firstFlowID`.
    public init(configuration: PacketProcessorConfiguration = PacketProcessorConfiguration(), firstFlowID: UInt64 = 1) {
        self.configuration = configuration
        flows = FlowTable(configuration: configuration.flowTable, firstFlowID: firstFlowID)
    }

    /// The counters so far (custom metrics folded in).
    public var currentCounters: WorkerCounters {
        var result = counters
        for (index, count) in metricCounts.enumerated() where count > 0 {
            result.customMetrics[metricNames[index], default: 0] += count
        }
        result.flows = UInt64(flows.count)
        return result
    }

    /// Ages the flow table; call about once per batch.
    public mutating func expireFlows(now: Double) {
        flows.expire(now: now)
    }

    /// Decodes and processes the raw IP packet `bytes`. Malformed packets are counted and get the
    /// configured verdict, with no event.
    public mutating func process(
        bytes: UnsafeRawBufferPointer, snapshot: CompiledSnapshot?, now: Double, wallClock: Double,
        events: inout [EveEvent]
    ) -> Verdict {
        let packet: DecodedPacket
        do {
            packet = try PacketDecoder.decode(bytes)
        } catch {
            counters.packets += 1
            counters.decodeErrors += 1
            return count(configuration.dropMalformed ? .drop : .accept)
        }
        let payloadEnd = min(bytes.count, packet.payloadOffset + packet.payloadLength)
        let payload = packet.payloadOffset < payloadEnd
            ? UnsafeRawBufferPointer(rebasing: bytes[packet.payloadOffset..<payloadEnd])
            : UnsafeRawBufferPointer(start: nil, count: 0)
        return process(packet, payload: payload, snapshot: snapshot, now: now, wallClock: wallClock, events: &events)
    }

    /// Processes one decoded packet at monotonic time `now` (seconds; flow ageing) and wall-clock
    /// time `wallClock` (seconds since 1970; event timestamps), appending its EVE events to `events`.
    public mutating func process(
        _ packet: DecodedPacket, payload: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
        snapshot: CompiledSnapshot?, now: Double, wallClock: Double, events: inout [EveEvent]
    ) -> Verdict {
        counters.packets += 1
        guard let snapshot else {
            counters.noSnapshot += 1
            return count(configuration.failOpen ? .accept : .drop)
        }
        if snapshot.generation != generation { adopt(snapshot) }

        let observation = flows.track(packet, now: now)
        let handle = observation.handle
        var direction = observation.direction
        let stateless = snapshot.stateless
        let cacheable = !stateless.dependsOnTCPFlags && !packet.isFragment

        // Stateless engine.
        let outcome: StatelessOutcome
        if cacheable, let cached = flows[handle].statelessCache(direction), cached.generation == generation {
            outcome = cached.outcome
        } else {
            outcome = stateless.evaluate(packet)
            if cacheable {
                flows[handle].setStatelessCache(StatelessCacheEntry(generation: generation, outcome: outcome), for: direction)
            }
        }
        for metric in stateless.metrics(of: outcome) { metricCounts[metric] &+= 1 }

        var verdict: Verdict
        switch outcome.action {
        case .pass:
            verdict = .accept
        case .drop:
            verdict = .drop
            let reason: String
            switch outcome.source {
            case .rule: reason = "stateless"
            case .defaultActions: reason = stateless.defaultAction.name
            case .fragmentDefaultActions: reason = stateless.fragmentDefaultAction.name
            case .unsupportedFragment: reason = "fragment"
            }
            events.append(dropEvent(packet, flowID: flows[handle].id, reason: reason, wallClock: wallClock))
        case .forwardToSFE:
            if let diverted = divertForInspection(
                packet, payload: payload, observation: observation, snapshot: snapshot, wallClock: wallClock, events: &events
            ) {
                verdict = diverted
            } else {
                let clientIsLow = flows[handle].clientIsLow
                verdict = inspect(
                    packet, payload: payload, observation: observation, engine: snapshot.stateful, wallClock: wallClock, events: &events
                )
                // Protocol detection may have turned the flow around.
                if flows[handle].clientIsLow != clientIsLow { direction = direction.reversed }
            }
        }

        if cacheable, verdict == .accept || verdict == .drop {
            verdict = offload(verdict, packet: packet, handle: handle, direction: direction, outcome: outcome, snapshot: snapshot)
        }
        return count(verdict)
    }

    // MARK: TLS inspection

    /// The packet path's part of TLS inspection, for TCP packets of a connection in a TLS scope (nil for
    /// everything else). The opening SYN goes through the stateful engine first (the connection stage: a
    /// header rule may drop or reject it); if it passes, the connection is diverted to the TLS engine, which
    /// sees all of it from then on, and the flow is forgotten here: the kernel delivers the connection's later
    /// packets to the engine's socket, and drops those that come after the socket is gone by the connection
    /// mark the diverted SYN left (`IptablesChains`), so none of them reaches the queue. A packet of an
    /// in-scope connection that was not diverted at its start — it was established before the scope
    /// applied, or the engine is down — is dropped with the flow, since the handshake needed to decrypt it
    /// is gone.
    private mutating func divertForInspection(
        _ packet: DecodedPacket, payload: UnsafeRawBufferPointer, observation: FlowObservation, snapshot: CompiledSnapshot,
        wallClock: Double, events: inout [EveEvent]
    ) -> Verdict? {
        let plan = snapshot.tlsInspection
        guard configuration.tlsEngine != .absent, plan.isEnabled, packet.ipProtocol == DecodedPacket.IPProtocolNumber.tcp,
              packet.hasTransportHeader, !packet.isFragment
        else { return nil }
        let handle = observation.handle
        let client = flows[handle].client
        let server = flows[handle].server
        guard plan.scopes.configuration(
            client: client.address, clientPort: client.port, server: server.address, serverPort: server.port,
            ipProtocol: DecodedPacket.IPProtocolNumber.tcp
        ) != nil else { return nil }
        // A SYN toward the server opens a connection, even on a tracked flow whose earlier connection the
        // worker never saw end (it was offloaded to the kernel).
        let flags = packet.tcpFlags & (TCPFlagBits.syn | TCPFlagBits.ack | TCPFlagBits.rst)
        let opening = flags == TCPFlagBits.syn && observation.direction == .toServer
        let reason: String
        if opening, configuration.tlsEngine == .listening {
            let verdict = inspect(
                packet, payload: payload, observation: observation, engine: snapshot.stateful, wallClock: wallClock, events: &events
            )
            guard verdict == .accept else { return verdict }
            flows.remove(handle)
            return .divert
        } else if configuration.tlsEngine == .unavailable {
            reason = "tls inspection: engine unavailable"
        } else {
            reason = "tls inspection: flow not diverted at its start"
        }
        if flows[handle].decision == nil {
            flows[handle].decision = .drop
            events.append(dropEvent(packet, flowID: flows[handle].id, reason: reason, wallClock: wallClock))
        }
        return .drop
    }

    // MARK: Stateful side

    private mutating func inspect(
        _ packet: DecodedPacket, payload: UnsafeRawBufferPointer, observation: FlowObservation, engine: StatefulEngine,
        wallClock: Double, events: inout [EveEvent]
    ) -> Verdict {
        let handle = observation.handle
        if let decision = flows[handle].decision {
            switch decision {
            case .pass:
                return .accept
            case .drop, .reject:
                if flows[handle].flowDropEvents < configuration.flowDropEventsPerFlow {
                    flows[handle].flowDropEvents += 1
                    let reason = flows[handle].droppedByExceptionPolicy ? "exception policy flow drop" : "flow drop"
                    events.append(dropEvent(packet, flowID: flows[handle].id, reason: reason, wallClock: wallClock))
                }
                return .drop
            }
        }
        if observation.isNew, flows[handle].pickedUpMidstream, !configuration.midstream, configuration.enforce,
           configuration.midstreamPolicy == .dropFlow, packet.tcpFlags & TCPFlagBits.rst == 0 {
            // Suricata's midstream exception policy: the stream engine drops the flow before detection.
            flows[handle].decision = .drop
            flows[handle].droppedByExceptionPolicy = true
            events.append(dropEvent(packet, flowID: flows[handle].id, reason: "stream midstream", wallClock: wallClock))
            return .drop
        }
        var direction: FlowDirection = observation.direction == .toServer ? .toServer : .toClient

        // Stream reassembly and the application layer.
        var step = InspectionStep()
        let isTCP = packet.ipProtocol == DecodedPacket.IPProtocolNumber.tcp
        if isTCP, packet.hasTransportHeader, !packet.isFragment, configuration.midstream || !flows[handle].pickedUpMidstream {
            step = flows[handle].inspection.ingest(packet, payload: payload, direction: direction, settings: streamSettings(handle, engine: engine))
        } else if packet.ipProtocol == DecodedPacket.IPProtocolNumber.udp, packet.hasTransportHeader, !packet.isFragment,
                  payload.count > 0 {
            step = flows[handle].inspection.ingest(datagram: payload, direction: direction, serverPort: flows[handle].server.port)
        }
        if step.reversed {
            flows[handle].turnAround()
            direction = direction.reversed
        }
        let context = FlowContext(
            direction: direction, established: observation.established, firstPacketInDirection: observation.firstPacketInDirection
        )
        let flowID = flows[handle].id
        // The rule engine sees a TCP flow's application layer from the packet that establishes its stream on.
        let streamEstablished = !isTCP || flows[handle].handshakeCompleted || flows[handle].pickedUpMidstream
        let appProtocol = streamEstablished ? flows[handle].inspection.appProtocol : .unknown
        for record in step.records { logAppRecord(record, packet: packet, handle: handle, wallClock: wallClock, events: &events) }

        // Data sent before the handshake completed (a SYN's payload) decides for its packet only.
        let streamDecidesFlow = observation.established || flows[handle].tcpState == .midstream
        var ruleState = flows[handle].inspection.rules
        let transactions = step.transactions.map(\.transaction)
        let decision = step.chunk.withUnsafeBytes { stream in
            var data = InspectionData(
                payload: payload, stream: stream.count > 0 ? stream : nil, payloadIsStream: step.payloadIsStream,
                transactions: transactions, appProtocol: appProtocol
            )
            data.payloadInStream = step.payloadInStream
            data.payloadInspection = payloadInspection(handle)
            data.streamDecidesFlow = streamDecidesFlow
            return engine.evaluate(packet.facts, flow: context, data: data, state: &ruleState, scratch: &scratch)
        }
        flows[handle].inspection.rules = ruleState

        let blocks = configuration.enforce && (decision.verdict == .drop || decision.verdict == .reject)
        raiseAlerts(decision, packet: packet, handle: handle, inspected: step.transactions, wallClock: wallClock, events: &events)
        switch decision.verdict {
        case .none:
            return .accept
        case .pass:
            if decision.appliesToFlow { flows[handle].decision = .pass }
            return .accept
        case .drop, .reject:
            guard blocks else { return .accept }
            if decision.appliesToFlow { flows[handle].decision = decision.verdict == .drop ? .drop : .reject }
            events.append(dropEvent(packet, flowID: flowID, reason: Self.dropReason(decision), wallClock: wallClock))
            return decision.verdict == .drop ? .drop : .reject
        }
    }

    /// The end of a capture: every flow not decided hands over what it still holds, as Suricata's end-of-flow
    /// pseudo packets take it in each direction with anything left, and the rule engine inspects that (stream
    /// chunks and transaction parts, no packet). Returns the events, which belong to no packet. In IDS mode
    /// bytes nobody acknowledged are inspected only here.
    public mutating func finishFlows(snapshot: CompiledSnapshot, wallClock: Double) -> [EveEvent] {
        var events: [EveEvent] = []
        for handle in flows.handles where flows[handle].decision == nil {
            let ending = flows[handle].inspection.finish(settings: streamSettings(handle, engine: snapshot.stateful))
            if ending.reversed { flows[handle].turnAround() }
            for record in ending.records {
                let packet = flows[handle].pseudoPacket(FlowDirectionKind(record.transaction.direction))
                logAppRecord(record, packet: packet, handle: handle, wallClock: wallClock, events: &events)
            }
            for direction in ending.directions {
                let packet = flows[handle].pseudoPacket(FlowDirectionKind(direction.direction))
                var ruleState = flows[handle].inspection.rules
                let context = FlowContext(direction: direction.direction, established: true, firstPacketInDirection: false)
                let decision = direction.chunk.withUnsafeBytes { stream in
                    var data = InspectionData(
                        stream: stream.count > 0 ? stream : nil, transactions: direction.transactions.map(\.transaction),
                        appProtocol: flows[handle].inspection.appProtocol
                    )
                    data.endOfFlow = true
                    data.payloadInspection = payloadInspection(handle)
                    return snapshot.stateful.evaluate(packet.facts, flow: context, data: data, state: &ruleState, scratch: &scratch)
                }
                flows[handle].inspection.rules = ruleState
                raiseAlerts(decision, packet: packet, handle: handle, inspected: direction.transactions, wallClock: wallClock, events: &events)
            }
        }
        return events
    }

    /// Writes the `http` / `tls` / `dns` events of an application-layer record and remembers the flow's
    /// latest handshake and transaction for alert events.
    private mutating func logAppRecord(
        _ record: AppLayerRecord, packet: DecodedPacket, handle: FlowHandle, wallClock: Double, events: inout [EveEvent]
    ) {
        let flowID = flows[handle].id
        for object in record.eve {
            var event: EveEvent
            switch object {
            case .http(let http):
                flows[handle].inspection.lastHTTP = http
                event = baseEvent(packet, flowID: flowID, type: "http", timestamp: EveFormat.timestamp(wallClock))
                event.http = http
            case .tls(let tls):
                flows[handle].inspection.lastTLS = tls
                event = baseEvent(packet, flowID: flowID, type: "tls", timestamp: EveFormat.timestamp(wallClock))
                event.tls = tls
            case .dns(let dns):
                event = baseEvent(packet, flowID: flowID, type: "dns", timestamp: EveFormat.timestamp(wallClock))
                event.dns = dns
            }
            event.app_proto = record.transaction.appProtocol.rawValue
            events.append(event)
        }
    }

    /// Whether rules with payload keywords may inspect the flow's raw bytes (not once its TLS is encrypted,
    /// unless the configuration asks for Suricata's `full` encryption handling).
    private func payloadInspection(_ handle: FlowHandle) -> Bool {
        configuration.tlsEncryptionHandling == .full || flows[handle].inspection.payloadInspected
    }

    /// How the flow's TCP segments reach the inspection engines.
    private func streamSettings(_ handle: FlowHandle, engine: StatefulEngine) -> FlowInspection.StreamSettings {
        let flow = flows[handle]
        return FlowInspection.StreamSettings(
            immediate: configuration.inlineStream || flow.isAsync, closed: flow.tcpState == .closed,
            established: flow.handshakeCompleted || flow.pickedUpMidstream, pickedUpMidstream: flow.pickedUpMidstream,
            serverPort: flow.server.port, keepsBodies: engine.inspectsHTTPBodies, limits: configuration.stream, urgentPolicy: configuration.urgentPolicy
        )
    }

    /// Writes an `alert` event for each alert of `decision`.
    private mutating func raiseAlerts(
        _ decision: StatefulDecision, packet: DecodedPacket, handle: FlowHandle, inspected: [AppLayerRecord], wallClock: Double,
        events: inout [EveEvent]
    ) {
        guard !decision.alerts.isEmpty else { return }
        flows[handle].inspection.alerted = true
        let timestamp = EveFormat.timestamp(wallClock)
        for alert in decision.alerts {
            counters.alerts += 1
            var event = alertEvent(packet, flowID: flows[handle].id, alert: alert, enforced: configuration.enforce, timestamp: timestamp)
            attachAppFields(&event, alert: alert, inspected: inspected, handle: handle)
            events.append(event)
        }
    }

    /// The application fields of an alert: those of the transaction the rule matched, else the flow's
    /// latest TLS handshake or HTTP transaction.
    private func attachAppFields(_ event: inout EveEvent, alert: AlertMatch, inspected: [AppLayerRecord], handle: FlowHandle) {
        let inspection = flows[handle].inspection
        guard let app = inspection.appProtocol.detected else { return }
        event.app_proto = app.rawValue
        if let index = alert.transaction, index < inspected.count,
           let object = inspected[index].eve.first ?? inspected[index].metadata {
            // The transaction's logged object, else the fields known so far (a ClientHello's SNI).
            object.attach(to: &event)
            return
        }
        switch app {
        case .http: event.http = inspection.lastHTTP
        case .tls: event.tls = inspection.lastTLS
        case .dns: break
        }
    }

    /// `rules` for a rule's drop; the default action's name (`aws:drop_strict`, …) when the engine
    /// names one as the reason.
    static func dropReason(_ decision: StatefulDecision) -> String {
        decision.reason.hasPrefix("aws:") ? decision.reason : "rules"
    }

    // MARK: Offload

    /// Turns `verdict` into its connmark form when the whole flow is known to end the same way.
    private mutating func offload(
        _ verdict: Verdict, packet: DecodedPacket, handle: FlowHandle, direction: FlowDirectionKind,
        outcome: StatelessOutcome, snapshot: CompiledSnapshot
    ) -> Verdict {
        let reverse: StatelessOutcome
        if let cached = flows[handle].statelessCache(direction.reversed), cached.generation == generation {
            reverse = cached.outcome
        } else {
            reverse = snapshot.stateless.evaluateReverse(of: packet)
            flows[handle].setStatelessCache(StatelessCacheEntry(generation: generation, outcome: reverse), for: direction.reversed)
        }
        let wanted: FlowDecision = verdict == .accept ? .pass : .drop
        let needsStateful = outcome.action == .forwardToSFE || reverse.action == .forwardToSFE
        func agrees(_ action: StatelessAction) -> Bool {
            action == .forwardToSFE || (action == .pass) == (wanted == .pass)
        }
        guard agrees(outcome.action), agrees(reverse.action) else { return verdict }
        if needsStateful {
            let flow = flows[handle]
            switch flow.decision {
            case .pass?:
                guard wanted == .pass else { return verdict }
            case .drop?:
                guard wanted == .drop else { return verdict }
            case .reject?:
                return verdict
            case nil:
                guard wanted == .pass, flow.seenToServer, flow.seenToClient else { return verdict }
                let settled: Bool
                if let known = flow.settled, known.generation == generation {
                    settled = known.value
                } else {
                    settled = snapshot.stateful.flowIsSettled(packet.facts)
                    flows[handle].settled = (generation, settled)
                }
                guard settled else { return verdict }
            }
        }
        if !flows[handle].offloaded {
            flows[handle].offloaded = true
            counters.offloaded += 1
        }
        return wanted == .pass ? .acceptFlow : .dropFlow
    }

    // MARK: Bookkeeping

    private mutating func adopt(_ snapshot: CompiledSnapshot) {
        for (index, count) in metricCounts.enumerated() where count > 0 {
            counters.customMetrics[metricNames[index], default: 0] += count
        }
        metricNames = snapshot.stateless.metricNames
        metricCounts = Array(repeating: 0, count: metricNames.count)
        generation = snapshot.generation
        flows.configuration.tcpIdleTimeout = snapshot.tcpIdleTimeout
    }

    private mutating func count(_ verdict: Verdict) -> Verdict {
        switch verdict {
        case .accept, .acceptFlow: counters.accepted += 1
        case .drop, .dropFlow: counters.dropped += 1
        case .reject: counters.rejected += 1
        case .divert: counters.diverted += 1
        }
        return verdict
    }

    // MARK: Events

    /// One EVE `flow` event per flow held (replay writes them at the end with reason `shutdown`).
    public func flowEvents(now: Double, reason: String) -> [EveEvent] {
        flows.allFlows.sorted { $0.id < $1.id }.map { flow in
            let client = flow.client
            let server = flow.server
            let ports = flow.key.ipProtocol == DecodedPacket.IPProtocolNumber.tcp || flow.key.ipProtocol == DecodedPacket.IPProtocolNumber.udp
            var event = EveEvent(
                timestamp: EveFormat.timestamp(flow.lastSeen), flow_id: flow.id, event_type: "flow",
                src_ip: client.address.description, src_port: ports ? client.port : nil, dest_ip: server.address.description,
                dest_port: ports ? server.port : nil, proto: EveFormat.protocolName(flow.key.ipProtocol)
            )
            event.app_proto = flow.inspection.appProtocol.detected?.rawValue
            let state: String = switch flow.tcpState {
            case .closed: "closed"
            case .none, .midstream: flow.isEstablished ? "established" : "new"
            default: flow.handshakeCompleted ? "established" : "new"
            }
            event.flow = EveFlow(
                pkts_toserver: flow.packetsToServer, pkts_toclient: flow.packetsToClient, bytes_toserver: flow.bytesToServer,
                bytes_toclient: flow.bytesToClient, start: EveFormat.timestamp(flow.firstSeen), end: EveFormat.timestamp(flow.lastSeen),
                age: Int(flow.lastSeen - flow.firstSeen), state: state, reason: reason, alerted: flow.inspection.alerted,
                action: flow.decision.map { "\($0)" }
            )
            return event
        }
    }

    private func dropEvent(_ packet: DecodedPacket, flowID: UInt64, reason: String, wallClock: Double) -> EveEvent {
        let isTCP = packet.ipProtocol == DecodedPacket.IPProtocolNumber.tcp && packet.hasTransportHeader
        var event = baseEvent(packet, flowID: flowID, type: "drop", timestamp: EveFormat.timestamp(wallClock))
        event.pkt_src = configuration.packetSource
        event.drop = EveDrop(
            len: packet.length, ttl: Int(packet.ttl), ipid: packet.ipVersion == 4 ? packet.ipID.map(Int.init) : nil,
            tcpseq: isTCP ? packet.tcpSequence : nil, tcpack: isTCP ? packet.tcpAcknowledgement : nil,
            tcpwin: isTCP ? Int(packet.tcpWindow) : nil, flags: isTCP ? packet.tcpFlags : nil, reason: reason
        )
        return event
    }

    private func alertEvent(_ packet: DecodedPacket, flowID: UInt64, alert: AlertMatch, enforced: Bool, timestamp: String) -> EveEvent {
        var event = baseEvent(packet, flowID: flowID, type: "alert", timestamp: timestamp)
        event.pkt_src = configuration.packetSource
        event.alert = EveAlert(alert, enforced: enforced)
        return event
    }

    private func baseEvent(_ packet: DecodedPacket, flowID: UInt64, type: String, timestamp: String) -> EveEvent {
        let ports = packet.hasPorts && packet.hasTransportHeader
        return EveEvent(
            timestamp: timestamp, flow_id: flowID, event_type: type, src_ip: packet.source.description,
            src_port: ports ? packet.sourcePort : nil, dest_ip: packet.destination.description,
            dest_port: ports ? packet.destinationPort : nil, proto: EveFormat.protocolName(packet.ipProtocol)
        )
    }
}

extension DecodedPacket {
    /// What the rule engine sees of the packet.
    public var facts: PacketFacts {
        var facts = PacketFacts(
            source: source, destination: destination, sourcePort: sourcePort, destinationPort: destinationPort,
            ipProtocol: ipProtocol, tcpFlags: tcpFlags, ttl: ttl, payloadLength: payloadLength
        )
        facts.tcpSequence = tcpSequence
        facts.tcpAcknowledgement = tcpAcknowledgement
        facts.tcpWindow = tcpWindow
        facts.icmpType = icmpType
        facts.icmpCode = icmpCode
        return facts
    }
}
