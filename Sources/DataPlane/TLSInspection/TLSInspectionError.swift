/// Why the TLS engine refused a configuration or a connection.
public struct TLSInspectionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// The snapshot's TLS inspection section cannot be used (a bad CIDR, certificate or key).
        public static let invalidConfiguration = Code(name: "invalid configuration")
        /// A certificate could not be minted for the client.
        public static let minting = Code(name: "minting")
        /// The listener could not be set up.
        public static let listener = Code(name: "listener")

        public var description: String { name }
    }

    public var code: Code
    /// What went wrong, naming the field or certificate; never key material.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
