/// The names and addresses of one lab: three network namespaces wired client ⇄ firewall ⇄ server.
///
/// ```
///  P-client                 P-fw                        P-server
///  c0 198.18.0.2/24 ── fw-c 198.18.0.1/24
///                           fw-s 198.19.0.1/24 ──── s0 198.19.0.2/24
/// ```
/// Addresses come from 198.18.0.0/15, the RFC 2544 benchmarking range, so a lab never collides
/// with real networks. Interface names are fixed (each lives in its own namespace), so any prefix
/// keeps them within Linux's 15-character limit.
public struct LabTopology: Sendable, Hashable {
    /// One end of a veth pair: where it lives, its name and its address.
    public struct Endpoint: Sendable, Hashable {
        public var namespace: String
        public var interface: String
        public var address: String
    }

    /// A veth pair between a host namespace and the firewall namespace; the firewall end is the
    /// host's gateway.
    public struct Link: Sendable, Hashable {
        public var host: Endpoint
        public var firewall: Endpoint
    }

    /// Every lab address is in a /24.
    public static let prefixLength = 24
    /// The client's address.
    public static let clientAddress = "198.18.0.2"
    /// The firewall's address on the client side: the client's default gateway.
    public static let firewallClientAddress = "198.18.0.1"
    /// The server's address.
    public static let serverAddress = "198.19.0.2"
    /// The firewall's address on the server side: the server's default gateway.
    public static let firewallServerAddress = "198.19.0.1"

    /// The prefix every namespace name starts with.
    public let prefix: String

    /// A topology named by `prefix`: letters, digits, `_` and `-`, at most 32 characters.
    public init(prefix: String) throws(LabError) {
        let allowed = prefix.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
        guard !prefix.isEmpty, prefix.count <= 32, allowed, !prefix.hasPrefix("-") else {
            throw LabError(
                code: .invalidArgument,
                message: "invalid lab prefix '\(prefix)': use 1 to 32 letters, digits, '_' or '-', not starting with '-'"
            )
        }
        self.prefix = prefix
    }

    /// `P-client`.
    public var clientNamespace: String { "\(prefix)-client" }
    /// `P-fw`: forwards between the two others and runs the workers.
    public var firewallNamespace: String { "\(prefix)-fw" }
    /// `P-server`.
    public var serverNamespace: String { "\(prefix)-server" }
    /// The three namespaces, in creation order.
    public var namespaces: [String] { [clientNamespace, firewallNamespace, serverNamespace] }

    /// The client's link: `c0` in P-client, `fw-c` in P-fw.
    public var clientLink: Link {
        Link(
            host: Endpoint(namespace: clientNamespace, interface: "c0", address: Self.clientAddress),
            firewall: Endpoint(namespace: firewallNamespace, interface: "fw-c", address: Self.firewallClientAddress)
        )
    }

    /// The server's link: `s0` in P-server, `fw-s` in P-fw.
    public var serverLink: Link {
        Link(
            host: Endpoint(namespace: serverNamespace, interface: "s0", address: Self.serverAddress),
            firewall: Endpoint(namespace: firewallNamespace, interface: "fw-s", address: Self.firewallServerAddress)
        )
    }

    /// Both links.
    public var links: [Link] { [clientLink, serverLink] }

    /// Where a lab keeps its pid file, worker logs, worker state and EVE log unless told otherwise.
    public var defaultRunDirectory: String { "/run/rampart-lab/\(prefix)" }
}
