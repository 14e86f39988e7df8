/// A CIDR in AWS's `Address` shape.
public struct Address: Codable, Hashable, Sendable {
    public var AddressDefinition: String

    public init(AddressDefinition: String) {
        self.AddressDefinition = AddressDefinition
    }
}

/// An inclusive port range.
public struct PortRange: Codable, Hashable, Sendable {
    public var FromPort: Int
    public var ToPort: Int

    public init(FromPort: Int, ToPort: Int) {
        self.FromPort = FromPort
        self.ToPort = ToPort
    }

    /// Whether `port` lies in the range.
    public func contains(_ port: UInt16) -> Bool {
        Int(port) >= FromPort && Int(port) <= ToPort
    }
}

/// A TCP flag as AWS names it.
public enum TCPFlag: String, Codable, Hashable, Sendable, CaseIterable {
    case FIN, SYN, RST, PSH, ACK, URG, ECE, CWR

    /// The bit of the flag in the TCP header's flags byte.
    public var bit: UInt8 {
        switch self {
        case .FIN: 0x01
        case .SYN: 0x02
        case .RST: 0x04
        case .PSH: 0x08
        case .ACK: 0x10
        case .URG: 0x20
        case .ECE: 0x40
        case .CWR: 0x80
        }
    }
}

/// Flags that must be set among the masked flags.
public struct TCPFlagField: Codable, Hashable, Sendable {
    public var Flags: [TCPFlag]
    public var Masks: [TCPFlag]?

    public init(Flags: [TCPFlag], Masks: [TCPFlag]?) {
        self.Flags = Flags
        self.Masks = Masks
    }
}
