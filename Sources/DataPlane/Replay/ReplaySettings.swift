/// How `rampart-worker replay` runs a capture.
public struct ReplaySettings: Sendable, Hashable {
    /// The capture (pcap or pcapng).
    public var capturePath: String
    /// A Suricata rules file, or a snapshot JSON file as the control plane pushes it.
    public var rules: RuleSource
    /// Where EVE lines go; nil for standard output.
    public var evePath: String?
    /// Inline mode (Suricata's `--simulate-ips`): drop and reject take effect.
    public var ips: Bool
    /// Pick up TCP sessions without their handshake.
    public var midstream: Bool
    /// Inspect stream data as it arrives (Suricata's `stream.inline`) rather than once acknowledged; nil for
    /// Suricata's `auto`: inline with `ips`, IDS without.
    public var streamInline: Bool?
    /// What the stream engine does with TCP urgent data (Suricata's `stream.reassembly.urgent.policy`).
    public var urgentPolicy: UrgentPolicy
    /// Let a SYN and the client's ACK establish a session whose SYN-ACK is not in the capture (one-sided
    /// traffic, Suricata's `stream.async-oneside`).
    public var asyncOneSide: Bool
    /// What becomes of TCP sessions picked up without their handshake when `midstream` is off; nil for
    /// Suricata's `auto`: `dropFlow` with `ips`, `ignore` without.
    public var midstreamPolicy: MidstreamPolicy?
    /// Ignore packets whose IP, TCP, UDP or ICMP checksum is wrong (the default, as Suricata does).
    public var validateChecksums: Bool
    /// The action order of a rules file (`pass,drop,reject,alert` by default).
    public var actionOrder: [String]
    /// Whether content rules keep inspecting TLS connections once encrypted.
    public var tlsEncryptionHandling: TLSEncryptionHandling

    public enum RuleSource: Sendable, Hashable {
        case rulesFile(String)
        case snapshotFile(String)
    }

    public init(
        capturePath: String, rules: RuleSource, evePath: String? = nil, ips: Bool = false, midstream: Bool = false,
        midstreamPolicy: MidstreamPolicy? = nil, streamInline: Bool? = nil, asyncOneSide: Bool = false,
        urgentPolicy: UrgentPolicy = .inline, validateChecksums: Bool = true,
        actionOrder: [String] = ["pass", "drop", "reject", "alert"], tlsEncryptionHandling: TLSEncryptionHandling = .default
    ) {
        self.capturePath = capturePath
        self.rules = rules
        self.evePath = evePath
        self.ips = ips
        self.midstream = midstream
        self.midstreamPolicy = midstreamPolicy
        self.asyncOneSide = asyncOneSide
        self.streamInline = streamInline
        self.urgentPolicy = urgentPolicy
        self.validateChecksums = validateChecksums
        self.actionOrder = actionOrder
        self.tlsEncryptionHandling = tlsEncryptionHandling
    }
}
