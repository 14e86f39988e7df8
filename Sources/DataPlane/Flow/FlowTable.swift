/// Sizes and idle timeouts of a flow table.
public struct FlowTableConfiguration: Sendable, Hashable {
    /// The most flows held; when full, the longest-idle flow is evicted.
    public var maximumFlows: Int
    /// Idle timeouts in seconds.
    public var tcpIdleTimeout: Double
    public var udpIdleTimeout: Double
    public var icmpIdleTimeout: Double
    /// How long a closed TCP flow (RST, both FINs) is remembered.
    public var closedIdleTimeout: Double
    /// Whether a SYN followed by the client's ACK, with no SYN-ACK seen, establishes the session: traffic
    /// of which only one side passes by (Suricata's `stream.async-oneside`).
    public var asyncOneSide: Bool

    public init(
        maximumFlows: Int = 65536, tcpIdleTimeout: Double = 350, udpIdleTimeout: Double = 60,
        icmpIdleTimeout: Double = 30, closedIdleTimeout: Double = 10, asyncOneSide: Bool = false
    ) {
        self.maximumFlows = max(1, maximumFlows)
        self.tcpIdleTimeout = tcpIdleTimeout
        self.udpIdleTimeout = udpIdleTimeout
        self.icmpIdleTimeout = icmpIdleTimeout
        self.closedIdleTimeout = closedIdleTimeout
        self.asyncOneSide = asyncOneSide
    }
}

/// Names a flow in a ``FlowTable`` until the table is next changed by `track`, `expire` or `remove`.
public struct FlowHandle: Hashable, Sendable {
    let slot: Int32
}

/// What tracking one packet told about its flow.
public struct FlowObservation: Sendable, Hashable {
    public var handle: FlowHandle
    /// The packet's direction in the flow.
    public var direction: FlowDirectionKind
    /// Whether the packet belongs to an established flow: for a TCP session, one whose handshake completed
    /// before this packet; for other flows (and TCP picked up midstream), once both directions were seen.
    public var established: Bool
    /// Whether the packet is the flow's first in its direction.
    public var firstPacketInDirection: Bool
    /// Whether the packet created the flow.
    public var isNew: Bool
}

/// The flows a worker follows, keyed by normalized 5-tuple.
///
/// Bounded (``FlowTableConfiguration/maximumFlows``) and aged by idle timeout. Entries live in a
/// slab with intrusive doubly linked lists, one per timeout class (TCP, UDP and other protocols,
/// ICMP, closed TCP): a packet moves its flow to the tail of its list, so each list is ordered by
/// last activity and expiry and eviction only ever look at list heads — O(1) per packet, no
/// allocation once the table has grown. Time is an argument: the table is pure and testable.
public struct FlowTable: Sendable {
    private enum TimeoutClass: Int, CaseIterable {
        case tcp = 0, udp, icmp, closed
    }

    private struct Slot: Sendable {
        var flow: Flow?
        var previous: Int32 = -1
        var next: Int32 = -1
        var timeoutClass: UInt8 = 0
    }

    public var configuration: FlowTableConfiguration
    private var slots: [Slot] = []
    private var freeSlots: [Int32] = []
    private var index: [FlowKey: Int32] = [:]
    private var heads: [Int32] = Array(repeating: -1, count: TimeoutClass.allCases.count)
    private var tails: [Int32] = Array(repeating: -1, count: TimeoutClass.allCases.count)
    private var nextFlowID: UInt64

    /// Flows removed because the table was full.
    public private(set) var evictions: UInt64 = 0
    /// Flows removed because they were idle too long.
    public private(set) var expirations: UInt64 = 0

    /// An empty table; flow ids count up from `firstFlowID`.
    public init(configuration: FlowTableConfiguration = FlowTableConfiguration(), firstFlowID: UInt64 = 1) {
        self.configuration = configuration
        nextFlowID = firstFlowID
        index.reserveCapacity(min(configuration.maximumFlows, 1 << 16))
    }

    /// The number of flows held.
    public var count: Int { index.count }

    /// The flow `handle` names.
    public subscript(handle: FlowHandle) -> Flow {
        get { slots[Int(handle.slot)].flow! }
        _modify { yield &slots[Int(handle.slot)].flow! }
    }

    /// The flow `packet` belongs to, if tracked (no update).
    public func flow(for packet: DecodedPacket) -> Flow? {
        guard let slot = index[FlowKey(packet)] else { return nil }
        return slots[Int(slot)].flow
    }

    /// Finds or creates the flow of `packet` at time `now` and advances its state.
    public mutating func track(_ packet: DecodedPacket, now: Double) -> FlowObservation {
        let (key, fromLow) = FlowKey.oriented(packet)
        var isNew = false
        var slot: Int32
        if let found = index[key] {
            slot = found
            let flow = slots[Int(slot)].flow!
            let timedOut = now - flow.lastSeen > timeout(of: TimeoutClass(rawValue: Int(slots[Int(slot)].timeoutClass))!)
            let reopened = flow.tcpState == .closed && packet.tcpFlags & (TCPFlagBits.syn | TCPFlagBits.ack | TCPFlagBits.rst) == TCPFlagBits.syn
            if timedOut || reopened {
                if timedOut { expirations += 1 }
                remove(slot: slot)
                slot = insert(key: key, packet: packet, fromLow: fromLow, now: now)
                isNew = true
            }
        } else {
            slot = insert(key: key, packet: packet, fromLow: fromLow, now: now)
            isNew = true
        }

        let asyncOneSide = configuration.asyncOneSide
        let (direction, first, established, timeoutClass) = withFlow(slot) { flow in
            let direction: FlowDirectionKind = fromLow == flow.clientIsLow ? .toServer : .toClient
            let handshakeCompletedBefore = flow.handshakeCompleted
            if direction == .toServer {
                flow.packetsToServer += 1
                flow.bytesToServer += UInt64(packet.length)
            } else {
                flow.packetsToClient += 1
                flow.bytesToClient += UInt64(packet.length)
            }
            if packet.ipProtocol == DecodedPacket.IPProtocolNumber.tcp, packet.hasTransportHeader {
                flow.advanceTCP(flags: packet.tcpFlags, direction: direction, asyncOneSide: asyncOneSide)
            }
            flow.lastSeen = max(flow.lastSeen, now)
            let first = direction == .toServer ? flow.packetsToServer == 1 : flow.packetsToClient == 1
            // As Suricata's flow engine has it, a packet of a TCP session is established only if the handshake
            // completed before it: the ACK that completes it is still `not_established`.
            let tracksHandshake = flow.tcpState != .none && flow.tcpState != .midstream
            let established = tracksHandshake ? handshakeCompletedBefore : flow.isEstablished
            return (direction, first, established, FlowTable.timeoutClass(of: flow))
        }
        touch(slot: slot, timeoutClass: timeoutClass)
        return FlowObservation(
            handle: FlowHandle(slot: slot), direction: direction, established: established,
            firstPacketInDirection: first, isNew: isNew
        )
    }

    /// Removes every flow idle longer than its timeout at `now`; returns how many.
    @discardableResult
    public mutating func expire(now: Double) -> Int {
        var removed = 0
        for timeoutClass in TimeoutClass.allCases {
            let limit = timeout(of: timeoutClass)
            while heads[timeoutClass.rawValue] >= 0 {
                let slot = heads[timeoutClass.rawValue]
                guard now - slots[Int(slot)].flow!.lastSeen > limit else { break }
                remove(slot: slot)
                removed += 1
            }
        }
        expirations += UInt64(removed)
        return removed
    }

    /// Removes the flow `handle` names.
    public mutating func remove(_ handle: FlowHandle) {
        remove(slot: handle.slot)
    }

    /// Every flow held, in no particular order.
    public var allFlows: [Flow] {
        slots.compactMap(\.flow)
    }

    /// The handles of every flow held, oldest flow (lowest id) first.
    public var handles: [FlowHandle] {
        slots.indices.filter { slots[$0].flow != nil }
            .sorted { slots[$0].flow!.id < slots[$1].flow!.id }
            .map { FlowHandle(slot: Int32($0)) }
    }

    /// Forgets every flow.
    public mutating func removeAll() {
        slots.removeAll(keepingCapacity: true)
        freeSlots.removeAll(keepingCapacity: true)
        index.removeAll(keepingCapacity: true)
        for i in heads.indices {
            heads[i] = -1
            tails[i] = -1
        }
    }

    // MARK: Internals

    private func timeout(of timeoutClass: TimeoutClass) -> Double {
        switch timeoutClass {
        case .tcp: configuration.tcpIdleTimeout
        case .udp: configuration.udpIdleTimeout
        case .icmp: configuration.icmpIdleTimeout
        case .closed: min(configuration.closedIdleTimeout, configuration.tcpIdleTimeout)
        }
    }

    private static func timeoutClass(of flow: Flow) -> TimeoutClass {
        switch flow.key.ipProtocol {
        case DecodedPacket.IPProtocolNumber.tcp: flow.tcpState == .closed ? .closed : .tcp
        case DecodedPacket.IPProtocolNumber.icmp, DecodedPacket.IPProtocolNumber.icmpv6: .icmp
        default: .udp
        }
    }

    private mutating func withFlow<T>(_ slot: Int32, _ body: (inout Flow) -> T) -> T {
        body(&slots[Int(slot)].flow!)
    }

    private mutating func insert(key: FlowKey, packet: DecodedPacket, fromLow: Bool, now: Double) -> Int32 {
        if index.count >= configuration.maximumFlows {
            expire(now: now)
        }
        if index.count >= configuration.maximumFlows {
            evictOldest()
        }
        // The client is the sender of the first packet, unless that packet is an answer (SYN-ACK,
        // echo reply): then the flow was picked up from its server side.
        let isTCP = key.ipProtocol == DecodedPacket.IPProtocolNumber.tcp
        let synAck = TCPFlagBits.syn | TCPFlagBits.ack
        let isAnswer = (isTCP && packet.tcpFlags & synAck == synAck) || packet.isEchoReply
        let clientIsLow = isAnswer ? !fromLow : fromLow
        var flow = Flow(id: nextFlowID, key: key, clientIsLow: clientIsLow, isTCP: isTCP, now: now)
        nextFlowID &+= 1
        if isTCP {
            let flags = packet.tcpFlags & (TCPFlagBits.syn | TCPFlagBits.ack | TCPFlagBits.rst)
            if flags == TCPFlagBits.syn {
                flow.tcpState = .synSent
            } else if flags == synAck {
                flow.tcpState = .synSent // the SYN-ACK (toClient) advances it to synReceived
            } else {
                flow.tcpState = .midstream
                flow.pickedUpMidstream = true
            }
        }
        let slot: Int32
        if let free = freeSlots.popLast() {
            slot = free
            slots[Int(slot)] = Slot(flow: flow)
        } else {
            slot = Int32(slots.count)
            slots.append(Slot(flow: flow))
        }
        index[key] = slot
        link(slot: slot, timeoutClass: FlowTable.timeoutClass(of: flow))
        return slot
    }

    private mutating func evictOldest() {
        var victim: Int32 = heads[TimeoutClass.closed.rawValue]
        if victim < 0 {
            var oldest = Double.infinity
            for timeoutClass in TimeoutClass.allCases {
                let head = heads[timeoutClass.rawValue]
                if head >= 0, let lastSeen = slots[Int(head)].flow?.lastSeen, lastSeen < oldest {
                    oldest = lastSeen
                    victim = head
                }
            }
        }
        guard victim >= 0 else { return }
        remove(slot: victim)
        evictions += 1
    }

    private mutating func remove(slot: Int32) {
        guard let flow = slots[Int(slot)].flow else { return }
        unlink(slot: slot)
        index.removeValue(forKey: flow.key)
        slots[Int(slot)].flow = nil
        freeSlots.append(slot)
    }

    private mutating func touch(slot: Int32, timeoutClass: TimeoutClass) {
        if tails[timeoutClass.rawValue] == slot, slots[Int(slot)].timeoutClass == UInt8(timeoutClass.rawValue) { return }
        unlink(slot: slot)
        link(slot: slot, timeoutClass: timeoutClass)
    }

    private mutating func link(slot: Int32, timeoutClass: TimeoutClass) {
        let list = timeoutClass.rawValue
        slots[Int(slot)].timeoutClass = UInt8(list)
        slots[Int(slot)].previous = tails[list]
        slots[Int(slot)].next = -1
        if tails[list] >= 0 {
            slots[Int(tails[list])].next = slot
        } else {
            heads[list] = slot
        }
        tails[list] = slot
    }

    private mutating func unlink(slot: Int32) {
        let list = Int(slots[Int(slot)].timeoutClass)
        let previous = slots[Int(slot)].previous
        let next = slots[Int(slot)].next
        if previous >= 0 { slots[Int(previous)].next = next } else { heads[list] = next }
        if next >= 0 { slots[Int(next)].previous = previous } else { tails[list] = previous }
        slots[Int(slot)].previous = -1
        slots[Int(slot)].next = -1
    }
}
