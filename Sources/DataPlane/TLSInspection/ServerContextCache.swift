import Crypto
import NIOSSL
import SwiftASN1
import Synchronization
import X509

/// The TLS server contexts the engine presents to clients, cached: for egress, one per inspection CA,
/// SNI, server certificate and negotiated ALPN (the minted leaf inside is the costly part: a signature
/// by the CA); for inbound, one per configured certificate and ALPN. Bounded: when full it starts over,
/// which costs one mint per name in use.
final class ServerContextCache: Sendable {
    struct Key: Hashable, Sendable {
        /// The signing CA's (or inbound certificate's) ARN and DER digest, so a re-imported certificate
        /// under the same ARN gets new leaves.
        var issuer: String
        var serverName: String
        /// SHA-256 of the upstream certificate's DER (empty for inbound).
        var upstream: [UInt8]
        var applicationProtocol: String?
    }

    let capacity: Int
    private let minter: LeafMinter
    private let leafKey: NIOSSLPrivateKey
    private let contexts = Mutex<[Key: NIOSSLContext]>([:])

    init(minter: LeafMinter, capacity: Int = 4096) throws {
        self.minter = minter
        self.capacity = capacity
        leafKey = try NIOSSLPrivateKey(bytes: Array(minter.leafKey.derRepresentation), format: .der)
    }

    /// The context presenting a leaf for `serverName` that stands for `upstream` (whose DER has the SHA-256
    /// `upstreamDigest`), signed by `authority`.
    func egress(
        authority: InspectionAuthority, serverName: String, upstream: Certificate, upstreamDigest: [UInt8],
        applicationProtocol: String?
    ) throws -> NIOSSLContext {
        let key = Key(
            issuer: authority.identity, serverName: serverName, upstream: upstreamDigest,
            applicationProtocol: applicationProtocol
        )
        if let cached = contexts.withLock({ $0[key] }) { return cached }
        let leaf = try minter.mint(for: upstream, serverName: serverName, authority: authority)
        let leafDER = try leaf.derBytes()
        let chain = try ([leafDER] + authority.chainDER).map { NIOSSLCertificateSource.certificate(try NIOSSLCertificate(bytes: $0, format: .der)) }
        let context = try Self.context(chain: chain, key: .privateKey(leafKey), applicationProtocol: applicationProtocol)
        store(context, for: key)
        return context
    }

    /// The context presenting `certificate` (inbound inspection).
    func inbound(certificate: InspectionAuthority, applicationProtocol: String?) throws -> NIOSSLContext {
        let key = Key(issuer: certificate.identity, serverName: "", upstream: [], applicationProtocol: applicationProtocol)
        if let cached = contexts.withLock({ $0[key] }) { return cached }
        let chain = try certificate.chainDER.map { NIOSSLCertificateSource.certificate(try NIOSSLCertificate(bytes: $0, format: .der)) }
        let privateKey = try NIOSSLPrivateKey(bytes: try certificate.privateKeyDER(), format: .der)
        let context = try Self.context(chain: chain, key: .privateKey(privateKey), applicationProtocol: applicationProtocol)
        store(context, for: key)
        return context
    }

    private func store(_ context: NIOSSLContext, for key: Key) {
        contexts.withLock { contexts in
            if contexts.count >= capacity { contexts.removeAll(keepingCapacity: true) }
            contexts[key] = context
        }
    }

    private static func context(
        chain: [NIOSSLCertificateSource], key: NIOSSLPrivateKeySource, applicationProtocol: String?
    ) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: key)
        configuration.applicationProtocols = applicationProtocol.map { [$0] } ?? []
        return try NIOSSLContext(configuration: CloseNotifyWait.applied(to: configuration))
    }
}

extension Certificate {
    /// The DER encoding.
    func derBytes() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return serializer.serializedBytes
    }
}
