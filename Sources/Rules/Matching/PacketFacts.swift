public import Shared

/// What the stateful engine needs to know about one packet, decoded once by the data plane.
public struct PacketFacts: Sendable {
    public var source: IPAddress
    public var destination: IPAddress
    /// 0 when the protocol has no ports.
    public var sourcePort: UInt16
    /// 0 when the protocol has no ports.
    public var destinationPort: UInt16
    /// 6 tcp, 17 udp, 1 icmp, 58 icmpv6, …
    public var ipProtocol: UInt8
    /// 0 unless TCP.
    public var tcpFlags: UInt8
    public var ttl: UInt8
    public var payloadLength: Int
    /// TCP sequence, acknowledgement and window; 0 unless TCP.
    public var tcpSequence: UInt32 = 0
    public var tcpAcknowledgement: UInt32 = 0
    public var tcpWindow: UInt16 = 0
    /// ICMP/ICMPv6 type and code; 0 unless ICMP.
    public var icmpType: UInt8 = 0
    public var icmpCode: UInt8 = 0

    public init(
        source: IPAddress, destination: IPAddress, sourcePort: UInt16, destinationPort: UInt16,
        ipProtocol: UInt8, tcpFlags: UInt8 = 0, ttl: UInt8 = 64, payloadLength: Int = 0
    ) {
        self.source = source
        self.destination = destination
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.ipProtocol = ipProtocol
        self.tcpFlags = tcpFlags
        self.ttl = ttl
        self.payloadLength = payloadLength
    }

    /// The same packet seen from the other end (addresses and ports swapped).
    var reversed: PacketFacts {
        var other = self
        other.source = destination
        other.destination = source
        other.sourcePort = destinationPort
        other.destinationPort = sourcePort
        return other
    }
}

/// The direction of a packet relative to its flow.
public enum FlowDirection: Sendable, Hashable {
    /// Same direction as the flow's first packet (client to server).
    case toServer
    /// Server to client.
    case toClient
}

/// The flow state of a packet, kept by the data plane's flow table.
public struct FlowContext: Sendable {
    /// `.toServer` = same direction as the flow's first packet.
    public var direction: FlowDirection
    /// TCP: the three-way handshake completed; UDP/ICMP: packets seen in both directions.
    public var established: Bool
    /// The first packet of this flow in this direction.
    public var firstPacketInDirection: Bool

    public init(direction: FlowDirection, established: Bool, firstPacketInDirection: Bool) {
        self.direction = direction
        self.established = established
        self.firstPacketInDirection = firstPacketInDirection
    }
}

/// The stateful engine's verdict for a packet.
public enum StatefulVerdict: Sendable, Hashable {
    /// No rule decided: the packet goes on (an `alert` alone never blocks).
    case none
    case pass
    case drop
    /// Drop and send a TCP reset (or ICMP unreachable).
    case reject
}

/// One alert a packet raised, as an EVE `alert` event needs it.
public struct AlertMatch: Sendable, Hashable {
    public var sid: Int
    public var gid: Int
    public var rev: Int
    /// `msg`, or "" when the rule has none; the default action's name for `aws:alert_*`.
    public var message: String
    public var classtype: String?
    /// The `priority` keyword, else the classtype's priority, else 3.
    public var severity: Int
    public var action: RuleAction
    /// Whether the packet was blocked by this rule (drop or reject).
    public var blocked: Bool
    /// The position in `InspectionData.transactions` of the transaction the rule matched, if any.
    public var transaction: Int?

    public init(sid: Int, gid: Int, rev: Int, message: String, classtype: String?, severity: Int, action: RuleAction, blocked: Bool) {
        self.sid = sid
        self.gid = gid
        self.rev = rev
        self.message = message
        self.classtype = classtype
        self.severity = severity
        self.action = action
        self.blocked = blocked
    }
}

/// What the stateful engine decided for one packet.
public struct StatefulDecision: Sendable {
    public var verdict: StatefulVerdict
    /// True when the verdict applies to the whole flow (a rule matched: Suricata drops or passes the rest of
    /// the flow); false for per-packet decisions (the `aws:drop_strict` / `aws:drop_established` defaults).
    public var appliesToFlow: Bool
    /// At most `StatefulEngine.maximumAlerts`; an empty array (no allocation) when none.
    public var alerts: [AlertMatch]
    /// Why: `"rule"` (a pass/drop/reject rule decided), `"alert"` (only alert rules matched), `"none"`
    /// (nothing matched), or the default action that decided (`"aws:drop_strict"`, `"aws:drop_established"`,
    /// `"aws:drop_established_app_layer"`, `"aws:alert_strict"`, `"aws:alert_established"`). Always a literal.
    public var reason: String

    public init(verdict: StatefulVerdict, appliesToFlow: Bool, alerts: [AlertMatch], reason: String) {
        self.verdict = verdict
        self.appliesToFlow = appliesToFlow
        self.alerts = alerts
        self.reason = reason
    }
}
