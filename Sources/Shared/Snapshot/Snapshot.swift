public import Foundation
import Crypto

/// One firewall's compiled configuration, as the control plane pushes it and a worker enforces it.
///
/// Identified by `(version, digest)`: the version is monotonic per firewall, the digest is the
/// SHA-256 of the canonical body, so the same inputs always give the same digest and a no-op write
/// pushes nothing (go-control-plane's habit).
public struct Snapshot: Codable, Hashable, Sendable {
    public var header: SnapshotHeader
    public var body: SnapshotBody

    /// A snapshot whose digest is computed from `body`.
    public init(version: UInt64, firewallArn: String, firewallName: String, createdAt: Double, body: SnapshotBody) throws {
        header = SnapshotHeader(
            version: version, digest: try Snapshot.digest(of: body), firewallArn: firewallArn,
            firewallName: firewallName, createdAt: createdAt
        )
        self.body = body
    }

    /// The hex SHA-256 of the canonical JSON of `body`.
    public static func digest(of body: SnapshotBody) throws -> String {
        let data = try CanonicalJSON.encode(body)
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether the header's digest is the digest of the body (a torn or altered snapshot is not).
    public func verifyDigest() throws -> Bool {
        try Snapshot.digest(of: body) == header.digest
    }
}

/// Identity of a snapshot.
public struct SnapshotHeader: Codable, Hashable, Sendable {
    public var version: UInt64
    public var digest: String
    public var firewallArn: String
    public var firewallName: String
    public var createdAt: Double

    public init(version: UInt64, digest: String, firewallArn: String, firewallName: String, createdAt: Double) {
        self.version = version
        self.digest = digest
        self.firewallArn = firewallArn
        self.firewallName = firewallName
        self.createdAt = createdAt
    }
}

/// Everything a worker needs to enforce a firewall, fully resolved: no ARN lookups, no variables.
public struct SnapshotBody: Codable, Hashable, Sendable {
    public var policyArn: String
    public var stateless: StatelessSection
    public var stateful: StatefulSection
    public var tlsInspection: TLSInspectionSection?

    public init(policyArn: String, stateless: StatelessSection, stateful: StatefulSection, tlsInspection: TLSInspectionSection?) {
        self.policyArn = policyArn
        self.stateless = stateless
        self.stateful = stateful
        self.tlsInspection = tlsInspection
    }
}

/// Stateless rule groups in evaluation order and the default actions.
public struct StatelessSection: Codable, Hashable, Sendable {
    /// Groups by ascending reference priority, each group's rules by ascending rule priority.
    public var groups: [StatelessGroupEntry]
    public var defaultActions: [String]
    public var fragmentDefaultActions: [String]
    /// The policy's custom actions, usable in the two default-action lists.
    public var customActions: [CustomAction]

    public init(groups: [StatelessGroupEntry], defaultActions: [String], fragmentDefaultActions: [String], customActions: [CustomAction]) {
        self.groups = groups
        self.defaultActions = defaultActions
        self.fragmentDefaultActions = fragmentDefaultActions
        self.customActions = customActions
    }
}

/// One stateless group of a snapshot.
public struct StatelessGroupEntry: Codable, Hashable, Sendable {
    public var arn: String
    public var priority: Int
    public var rules: [StatelessRule]
    public var customActions: [CustomAction]

    public init(arn: String, priority: Int, rules: [StatelessRule], customActions: [CustomAction]) {
        self.arn = arn
        self.priority = priority
        self.rules = rules
        self.customActions = customActions
    }
}

/// Stateful rule groups and the engine options.
public struct StatefulSection: Codable, Hashable, Sendable {
    public var ruleOrder: RuleOrder
    public var streamExceptionPolicy: StreamExceptionPolicy
    /// `aws:drop_strict`, `aws:alert_established`, … (strict order only).
    public var defaultActions: [String]
    /// Under strict order, groups by ascending priority; under action order, as referenced.
    public var groups: [StatefulGroupEntry]
    public var tcpIdleTimeoutSeconds: Int

    public init(ruleOrder: RuleOrder, streamExceptionPolicy: StreamExceptionPolicy, defaultActions: [String], groups: [StatefulGroupEntry], tcpIdleTimeoutSeconds: Int) {
        self.ruleOrder = ruleOrder
        self.streamExceptionPolicy = streamExceptionPolicy
        self.defaultActions = defaultActions
        self.groups = groups
        self.tcpIdleTimeoutSeconds = tcpIdleTimeoutSeconds
    }
}

/// One stateful group of a snapshot: its rules as canonical Suricata text with every variable
/// substituted and domain lists and 5-tuple rules already rendered, one rule per element.
public struct StatefulGroupEntry: Codable, Hashable, Sendable {
    public var arn: String
    public var priority: Int?
    public var rules: [String]

    public init(arn: String, priority: Int?, rules: [String]) {
        self.arn = arn
        self.priority = priority
        self.rules = rules
    }
}

/// TLS inspection settings of a snapshot (enforced by the TLS engine).
public struct TLSInspectionSection: Codable, Hashable, Sendable {
    public var configurationArn: String
    public var sessionHolding: Bool
    public var configurations: [TLSInspectionEntry]
    /// PEM certificates the operator trusts for upstream servers besides the system trust store
    /// (`rampart serve --upstream-trust-bundle`).
    public var upstreamTrustBundlePEM: String?

    public init(configurationArn: String, sessionHolding: Bool, configurations: [TLSInspectionEntry], upstreamTrustBundlePEM: String? = nil) {
        self.configurationArn = configurationArn
        self.sessionHolding = sessionHolding
        self.configurations = configurations
        self.upstreamTrustBundlePEM = upstreamTrustBundlePEM
    }
}

/// One server-certificate configuration with its certificates resolved to PEM.
public struct TLSInspectionEntry: Codable, Hashable, Sendable {
    public var scopes: [ServerCertificateScope]
    public var authority: CertificateMaterial?
    public var serverCertificates: [CertificateMaterial]
    public var revokedStatusAction: RevocationCheckAction?
    public var unknownStatusAction: RevocationCheckAction?

    public init(scopes: [ServerCertificateScope], authority: CertificateMaterial?, serverCertificates: [CertificateMaterial], revokedStatusAction: RevocationCheckAction?, unknownStatusAction: RevocationCheckAction?) {
        self.scopes = scopes
        self.authority = authority
        self.serverCertificates = serverCertificates
        self.revokedStatusAction = revokedStatusAction
        self.unknownStatusAction = unknownStatusAction
    }
}

/// A certificate, its chain and its private key, as PEM. Only ever travels inside a snapshot.
public struct CertificateMaterial: Codable, Hashable, Sendable {
    public var arn: String
    public var certificatePEM: String
    public var chainPEM: String?
    public var privateKeyPEM: String

    public init(arn: String, certificatePEM: String, chainPEM: String?, privateKeyPEM: String) {
        self.arn = arn
        self.certificatePEM = certificatePEM
        self.chainPEM = chainPEM
        self.privateKeyPEM = privateKeyPEM
    }
}

/// The one JSON form used for digests and for the wire: sorted keys, no escaped slashes.
public enum CanonicalJSON {
    /// Encodes `value` canonically.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// Decodes `T` from JSON.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }
}
