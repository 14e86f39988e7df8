/// One EVE JSON record with Suricata's field names.
public struct EveEvent: Codable, Hashable, Sendable {
    public var timestamp: String
    public var flow_id: UInt64?
    public var pcap_cnt: UInt64?
    public var event_type: String
    public var src_ip: String
    public var src_port: UInt16?
    public var dest_ip: String
    public var dest_port: UInt16?
    public var proto: String
    public var app_proto: String?
    public var alert: EveAlert?
    public var drop: EveDrop?

    public init(
        timestamp: String, flow_id: UInt64?, pcap_cnt: UInt64? = nil, event_type: String, src_ip: String,
        src_port: UInt16?, dest_ip: String, dest_port: UInt16?, proto: String, app_proto: String? = nil,
        alert: EveAlert? = nil, drop: EveDrop? = nil
    ) {
        self.timestamp = timestamp
        self.flow_id = flow_id
        self.pcap_cnt = pcap_cnt
        self.event_type = event_type
        self.src_ip = src_ip
        self.src_port = src_port
        self.dest_ip = dest_ip
        self.dest_port = dest_port
        self.proto = proto
        self.app_proto = app_proto
        self.alert = alert
        self.drop = drop
    }
}

/// The `alert` object of an EVE record.
public struct EveAlert: Codable, Hashable, Sendable {
    /// `allowed` or `blocked`.
    public var action: String
    public var gid: Int
    public var signature_id: Int
    public var rev: Int
    public var signature: String
    public var category: String
    public var severity: Int

    public init(action: String, gid: Int, signature_id: Int, rev: Int, signature: String, category: String, severity: Int) {
        self.action = action
        self.gid = gid
        self.signature_id = signature_id
        self.rev = rev
        self.signature = signature
        self.category = category
        self.severity = severity
    }
}

/// The `drop` object of an EVE record.
public struct EveDrop: Codable, Hashable, Sendable {
    public var len: Int
    public var ttl: Int
    public var ipid: Int?
    public var tcpseq: UInt32?
    public var tcpack: UInt32?
    public var tcpwin: Int?
    public var syn: Bool?
    public var ack: Bool?
    public var psh: Bool?
    public var rst: Bool?
    public var urg: Bool?
    public var fin: Bool?
    /// Why the packet was dropped: `rules`, `stateless`, `default`, `flow drop`, …
    public var reason: String

    public init(len: Int, ttl: Int, ipid: Int?, tcpseq: UInt32?, tcpack: UInt32?, tcpwin: Int?, flags: UInt8?, reason: String) {
        self.len = len
        self.ttl = ttl
        self.ipid = ipid
        self.tcpseq = tcpseq
        self.tcpack = tcpack
        self.tcpwin = tcpwin
        if let flags {
            syn = flags & 0x02 != 0
            ack = flags & 0x10 != 0
            psh = flags & 0x08 != 0
            rst = flags & 0x04 != 0
            urg = flags & 0x20 != 0
            fin = flags & 0x01 != 0
        }
        self.reason = reason
    }
}
