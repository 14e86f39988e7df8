public import Shared

/// A flow's 5-tuple in a direction-free form: the lower `(address, port)` end first, so that both
/// directions of a conversation find the same entry. ICMP echo flows use the echo identifier as both
/// ports, which pairs a request with its reply and keeps separate pings apart.
public struct FlowKey: Hashable, Sendable, CustomStringConvertible {
    public var lowAddress: IPAddress
    public var highAddress: IPAddress
    public var lowPort: UInt16
    public var highPort: UInt16
    public var ipProtocol: UInt8

    /// The key of `packet`.
    public init(_ packet: DecodedPacket) {
        self = FlowKey.oriented(packet).key
    }

    /// The key of `packet` and whether the packet travels from the key's low end to its high end.
    @inline(__always)
    public static func oriented(_ packet: DecodedPacket) -> (key: FlowKey, fromLow: Bool) {
        let sourcePort = packet.icmpEchoID ?? packet.sourcePort
        let destinationPort = packet.icmpEchoID ?? packet.destinationPort
        if (packet.source, sourcePort) <= (packet.destination, destinationPort) {
            return (FlowKey(lowAddress: packet.source, highAddress: packet.destination, lowPort: sourcePort,
                            highPort: destinationPort, ipProtocol: packet.ipProtocol), true)
        }
        return (FlowKey(lowAddress: packet.destination, highAddress: packet.source, lowPort: destinationPort,
                        highPort: sourcePort, ipProtocol: packet.ipProtocol), false)
    }

    init(lowAddress: IPAddress, highAddress: IPAddress, lowPort: UInt16, highPort: UInt16, ipProtocol: UInt8) {
        self.lowAddress = lowAddress
        self.highAddress = highAddress
        self.lowPort = lowPort
        self.highPort = highPort
        self.ipProtocol = ipProtocol
    }

    public var description: String {
        "\(ipProtocol) \(lowAddress):\(lowPort) <-> \(highAddress):\(highPort)"
    }
}

extension DecodedPacket {
    /// ICMP echo reply or ICMPv6 echo reply.
    var isEchoReply: Bool {
        (ipProtocol == IPProtocolNumber.icmp && icmpType == 0) || (ipProtocol == IPProtocolNumber.icmpv6 && icmpType == 129)
    }
}

/// The TCP connection state as the flow table follows it (a light tracker: flags and directions,
/// no sequence-number validation; the kernel's conntrack in front of the queue does that).
public enum TCPState: UInt8, Sendable, Hashable {
    /// Not TCP.
    case none
    /// The client's SYN was seen.
    case synSent
    /// The server's SYN-ACK was seen.
    case synReceived
    /// The client acknowledged the SYN-ACK.
    case established
    /// A FIN was seen after the handshake.
    case closing
    /// Both FINs or a RST were seen.
    case closed
    /// The flow was picked up without its handshake.
    case midstream
}

/// A flow's decided, flow-wide verdict.
public enum FlowDecision: UInt8, Sendable, Hashable {
    case pass
    case drop
    case reject
}

/// The per-direction memory of the stateless engine's outcome for a flow.
public struct StatelessCacheEntry: Sendable, Hashable {
    /// The compiled snapshot generation the entry belongs to.
    public var generation: UInt64
    /// What the stateless engine decided.
    public var outcome: StatelessOutcome
}

/// One tracked flow.
public struct Flow: Sendable {
    /// The EVE `flow_id`.
    public internal(set) var id: UInt64
    public internal(set) var key: FlowKey
    /// Whether the client — the side whose packets go `toServer` — is the key's low end.
    public internal(set) var clientIsLow: Bool
    public internal(set) var tcpState: TCPState
    /// Whether the TCP handshake was completed (stays true while the flow closes).
    public internal(set) var handshakeCompleted: Bool
    public internal(set) var finFromClient: Bool
    public internal(set) var finFromServer: Bool
    public internal(set) var packetsToServer: UInt64
    public internal(set) var packetsToClient: UInt64
    public internal(set) var bytesToServer: UInt64
    public internal(set) var bytesToClient: UInt64
    public internal(set) var firstSeen: Double
    public internal(set) var lastSeen: Double
    /// The flow-wide verdict once a rule decided it.
    public var decision: FlowDecision?
    /// Whether `decision` is a drop by an exception policy rather than by a rule.
    public var droppedByExceptionPolicy = false
    /// Whether the flow's first packet was neither a SYN nor a SYN-ACK: it was picked up without its handshake.
    public internal(set) var pickedUpMidstream = false
    /// Whether the session was established from the client's side alone (SYN, then ACK, the SYN-ACK never
    /// seen): Suricata's asynchronous session, whose data no acknowledgement will ever cover.
    public internal(set) var isAsync = false
    /// The stateless outcome per direction, valid while the ruleset does not look at TCP flags.
    public var statelessToServer: StatelessCacheEntry?
    public var statelessToClient: StatelessCacheEntry?
    /// `drop` EVE events written for packets dropped because of `decision`.
    public var flowDropEvents: Int = 0
    /// Whether a connmark verdict was issued to take the flow out of the queue.
    public var offloaded: Bool = false
    /// The rule engine's answer to "is this 5-tuple settled?" for a snapshot generation (it depends
    /// on the 5-tuple only, so it is asked once per flow and snapshot).
    var settled: (generation: UInt64, value: Bool)?
    /// Stream reassembly, application layer and flowbits.
    public var inspection = FlowInspection()

    init(id: UInt64, key: FlowKey, clientIsLow: Bool, isTCP: Bool, now: Double) {
        self.id = id
        self.key = key
        self.clientIsLow = clientIsLow
        tcpState = isTCP ? .synSent : .none
        handshakeCompleted = false
        finFromClient = false
        finFromServer = false
        packetsToServer = 0
        packetsToClient = 0
        bytesToServer = 0
        bytesToClient = 0
        firstSeen = now
        lastSeen = now
    }

    /// Whether packets were seen from the client.
    public var seenToServer: Bool { packetsToServer > 0 }
    /// Whether packets were seen from the server.
    public var seenToClient: Bool { packetsToClient > 0 }

    /// Suricata's notion of an established flow: TCP after the handshake (or, for a flow picked up
    /// mid-stream, once both sides spoke); other protocols once both directions were seen.
    public var isEstablished: Bool {
        switch tcpState {
        case .none, .midstream: seenToServer && seenToClient
        default: handshakeCompleted
        }
    }

    /// The cached stateless outcome for packets going `direction`.
    public func statelessCache(_ direction: FlowDirectionKind) -> StatelessCacheEntry? {
        direction == .toServer ? statelessToServer : statelessToClient
    }

    /// Stores the stateless outcome for `direction`.
    public mutating func setStatelessCache(_ entry: StatelessCacheEntry, for direction: FlowDirectionKind) {
        if direction == .toServer { statelessToServer = entry } else { statelessToClient = entry }
    }

    /// The addresses and ports of the flow's client and server.
    public var client: (address: IPAddress, port: UInt16) {
        clientIsLow ? (key.lowAddress, key.lowPort) : (key.highAddress, key.highPort)
    }

    public var server: (address: IPAddress, port: UInt16) {
        clientIsLow ? (key.highAddress, key.highPort) : (key.lowAddress, key.lowPort)
    }

    /// A packet of the flow going `direction` with no payload: what Suricata's end-of-flow pseudo packets
    /// are, for the events of what a flow leaves when it ends.
    func pseudoPacket(_ direction: FlowDirectionKind) -> DecodedPacket {
        let (source, destination) = direction == .toServer ? (client, server) : (server, client)
        let isTCP = key.ipProtocol == DecodedPacket.IPProtocolNumber.tcp
        return DecodedPacket(
            ipVersion: source.address.family == .v4 ? 4 : 6, source: source.address, destination: destination.address,
            ipProtocol: key.ipProtocol, sourcePort: source.port, destinationPort: destination.port,
            tcpFlags: isTCP ? TCPFlagBits.ack : 0
        )
    }

    /// Swaps the flow's ends: protocol detection found that its first packet came from the server (a flow
    /// picked up midstream). The stream state was swapped by the inspection that found it.
    mutating func turnAround() {
        clientIsLow.toggle()
        swap(&packetsToServer, &packetsToClient)
        swap(&bytesToServer, &bytesToClient)
        swap(&statelessToServer, &statelessToClient)
        swap(&finFromClient, &finFromServer)
    }

    /// Advances the TCP state with a packet's flags; `asyncOneSide` lets the client's ACK of a SYN whose
    /// SYN-ACK was not seen complete the handshake.
    mutating func advanceTCP(flags: UInt8, direction: FlowDirectionKind, asyncOneSide: Bool = false) {
        let syn = flags & TCPFlagBits.syn != 0
        let ack = flags & TCPFlagBits.ack != 0
        if flags & TCPFlagBits.rst != 0 {
            tcpState = .closed
            return
        }
        switch tcpState {
        case .none, .closed:
            break
        case .synSent:
            if direction == .toClient, syn, ack {
                tcpState = .synReceived
            } else if asyncOneSide, direction == .toServer, ack, !syn {
                tcpState = .established
                handshakeCompleted = true
                isAsync = true
            }
        case .synReceived:
            if direction == .toServer, ack, !syn {
                tcpState = .established
                handshakeCompleted = true
            }
        case .established, .closing, .midstream:
            break
        }
        if flags & TCPFlagBits.fin != 0, tcpState == .established || tcpState == .closing || tcpState == .midstream {
            if direction == .toServer { finFromClient = true } else { finFromServer = true }
            tcpState = finFromClient && finFromServer ? .closed : .closing
        }
    }
}

/// The direction of a packet within its flow (the data plane's own copy, so the flow table does not
/// depend on the rule engine).
public enum FlowDirectionKind: UInt8, Sendable, Hashable {
    /// From the client (the side that sent the flow's first packet) to the server.
    case toServer
    /// From the server to the client.
    case toClient

    /// The other direction.
    public var reversed: FlowDirectionKind { self == .toServer ? .toClient : .toServer }
}
