public import Shared

/// The TLS inspection scopes of a snapshot, compiled for lookups on the packet path and in the TLS
/// engine: which server-certificate configuration (if any) decrypts a TCP connection.
///
/// AWS's meaning: a scope matches when every member it sets matches (sources, destinations, source and
/// destination ports, protocols); an omitted or empty member matches everything. Configurations are
/// searched in the order given, scopes within a configuration in order; the first match wins.
public struct TLSScopeMatcher: Sendable, Hashable {
    /// One compiled scope.
    struct Scope: Sendable, Hashable {
        var sources: [CIDR]
        var destinations: [CIDR]
        var sourcePorts: [PortRange]
        var destinationPorts: [PortRange]
        var protocols: [UInt8]
        /// The index of the configuration in ``TLSInspectionSection/configurations``.
        var configuration: Int
    }

    let scopes: [Scope]

    /// Matches nothing.
    public static let empty = TLSScopeMatcher(scopes: [])

    init(scopes: [Scope]) {
        self.scopes = scopes
    }

    /// Compiles `section`'s scopes; an address that does not parse as a CIDR is an error naming it.
    public init(_ section: TLSInspectionSection?) throws(TLSInspectionError) {
        var scopes: [Scope] = []
        for (index, entry) in (section?.configurations ?? []).enumerated() {
            for scope in entry.scopes {
                func cidrs(_ addresses: [Address]?, _ member: String) throws(TLSInspectionError) -> [CIDR] {
                    var result: [CIDR] = []
                    for address in addresses ?? [] {
                        guard let cidr = CIDR(address.AddressDefinition) else {
                            throw TLSInspectionError(
                                code: .invalidConfiguration,
                                message: "Scopes.\(member): '\(address.AddressDefinition)' is not a CIDR"
                            )
                        }
                        result.append(cidr)
                    }
                    return result
                }
                scopes.append(
                    Scope(
                        sources: try cidrs(scope.Sources, "Sources"),
                        destinations: try cidrs(scope.Destinations, "Destinations"),
                        sourcePorts: scope.SourcePorts ?? [], destinationPorts: scope.DestinationPorts ?? [],
                        protocols: (scope.Protocols ?? []).compactMap { UInt8(exactly: $0) }, configuration: index
                    )
                )
            }
        }
        self.scopes = scopes
    }

    /// Whether no scope is defined (nothing is decrypted).
    public var isEmpty: Bool { scopes.isEmpty }

    /// The configuration index whose scope covers a connection from `client` to `server`, or nil.
    public func configuration(
        client: IPAddress, clientPort: UInt16, server: IPAddress, serverPort: UInt16, ipProtocol: UInt8
    ) -> Int? {
        for scope in scopes {
            if !scope.protocols.isEmpty, !scope.protocols.contains(ipProtocol) { continue }
            if !scope.sources.isEmpty, !scope.sources.contains(where: { $0.contains(client) }) { continue }
            if !scope.destinations.isEmpty, !scope.destinations.contains(where: { $0.contains(server) }) { continue }
            if !scope.sourcePorts.isEmpty, !scope.sourcePorts.contains(where: { $0.contains(clientPort) }) { continue }
            if !scope.destinationPorts.isEmpty, !scope.destinationPorts.contains(where: { $0.contains(serverPort) }) { continue }
            return scope.configuration
        }
        return nil
    }
}
