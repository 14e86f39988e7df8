public import Shared

/// The fields of one IP packet that the engines look at, read from the raw bytes NFQUEUE hands over
/// (IP header first, no link layer). A plain value: no allocation, no reference to the bytes.
public struct DecodedPacket: Sendable, Hashable {
    /// IANA protocol numbers the worker understands.
    public enum IPProtocolNumber {
        public static let icmp: UInt8 = 1
        public static let tcp: UInt8 = 6
        public static let udp: UInt8 = 17
        public static let icmpv6: UInt8 = 58
        public static let noNextHeader: UInt8 = 59
    }

    /// 4 or 6.
    public var ipVersion: UInt8
    public var source: IPAddress
    public var destination: IPAddress
    /// The upper-layer protocol (after IPv6 extension headers).
    public var ipProtocol: UInt8
    /// IPv4 TTL or IPv6 hop limit.
    public var ttl: UInt8
    /// IPv4 identification, or the IPv6 fragment header's identification; nil for IPv6 without one.
    public var ipID: UInt32?
    /// The IP datagram length in bytes (header included), as the header says.
    public var length: Int
    /// Whether the packet is a fragment (more-fragments set or a non-zero offset).
    public var isFragment: Bool
    /// The fragment offset in bytes; 0 for the first fragment and for unfragmented packets.
    public var fragmentOffset: Int
    /// Whether the transport header was read (false for non-first fragments and unknown protocols).
    public var hasTransportHeader: Bool
    /// TCP/UDP ports; 0 when the protocol has none or the header is absent.
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// TCP flags byte (CWR…FIN); 0 for other protocols.
    public var tcpFlags: UInt8
    public var tcpSequence: UInt32
    public var tcpAcknowledgement: UInt32
    public var tcpWindow: UInt16
    /// The TCP urgent pointer (meaningful with the URG flag): the offset from the sequence number of the byte
    /// just after the urgent data.
    public var tcpUrgentPointer: UInt16 = 0
    /// ICMP/ICMPv6 type and code; 0 for other protocols.
    public var icmpType: UInt8
    public var icmpCode: UInt8
    /// ICMP echo identifier (echo request/reply only), used to pair requests with replies.
    public var icmpEchoID: UInt16?
    /// Offset of the transport payload in the packet bytes.
    public var payloadOffset: Int
    /// Bytes of transport payload (for non-first fragments: the fragment's data).
    public var payloadLength: Int

    public init(
        ipVersion: UInt8, source: IPAddress, destination: IPAddress, ipProtocol: UInt8, ttl: UInt8 = 64,
        ipID: UInt32? = nil, length: Int = 0, isFragment: Bool = false, fragmentOffset: Int = 0,
        hasTransportHeader: Bool = true, sourcePort: UInt16 = 0, destinationPort: UInt16 = 0, tcpFlags: UInt8 = 0,
        tcpSequence: UInt32 = 0, tcpAcknowledgement: UInt32 = 0, tcpWindow: UInt16 = 0, icmpType: UInt8 = 0,
        icmpCode: UInt8 = 0, icmpEchoID: UInt16? = nil, payloadOffset: Int = 0, payloadLength: Int = 0
    ) {
        self.ipVersion = ipVersion
        self.source = source
        self.destination = destination
        self.ipProtocol = ipProtocol
        self.ttl = ttl
        self.ipID = ipID
        self.length = length
        self.isFragment = isFragment
        self.fragmentOffset = fragmentOffset
        self.hasTransportHeader = hasTransportHeader
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.tcpFlags = tcpFlags
        self.tcpSequence = tcpSequence
        self.tcpAcknowledgement = tcpAcknowledgement
        self.tcpWindow = tcpWindow
        self.icmpType = icmpType
        self.icmpCode = icmpCode
        self.icmpEchoID = icmpEchoID
        self.payloadOffset = payloadOffset
        self.payloadLength = payloadLength
    }

    /// Whether this is a fragment other than the first one (no transport header).
    public var isNonFirstFragment: Bool { isFragment && fragmentOffset != 0 }

    /// Whether the protocol carries ports.
    public var hasPorts: Bool {
        ipProtocol == IPProtocolNumber.tcp || ipProtocol == IPProtocolNumber.udp
    }

    /// Whether the packet is ICMP or ICMPv6.
    public var isICMP: Bool {
        ipProtocol == IPProtocolNumber.icmp || ipProtocol == IPProtocolNumber.icmpv6
    }
}

/// TCP flag bits.
public enum TCPFlagBits {
    public static let fin: UInt8 = 0x01
    public static let syn: UInt8 = 0x02
    public static let rst: UInt8 = 0x04
    public static let psh: UInt8 = 0x08
    public static let ack: UInt8 = 0x10
    public static let urg: UInt8 = 0x20
    public static let ece: UInt8 = 0x40
    public static let cwr: UInt8 = 0x80
}
