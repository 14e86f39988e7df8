import Crypto
import Foundation
import Synchronization
import X509

/// Upstream chains verified recently, by what the server presented and the trust roots they were
/// verified against: a busy server presents the same chain on every connection, and verifying it once
/// per few minutes instead of once per connection keeps signature checks off the per-connection cost.
/// An entry lives at most ``lifetime`` and never past its leaf's expiry; the cache is bounded.
final class VerifiedChainCache: Sendable {
    struct Key: Hashable, Sendable {
        /// The snapshot whose trust roots verified the chain.
        var generation: UInt64
        /// SHA-256 over the presented certificates' DER, in order.
        var digest: [UInt8]
    }

    let lifetime: TimeInterval
    let capacity: Int
    private let entries = Mutex<[Key: (chain: VerifiedChain, until: Date)]>([:])

    init(lifetime: TimeInterval = 300, capacity: Int = 4096) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The key of `presented` (DER) under `generation`'s trust roots.
    static func key(generation: UInt64, presented: [[UInt8]]) -> Key {
        var hash = SHA256()
        for certificate in presented {
            withUnsafeBytes(of: UInt32(certificate.count).bigEndian) { hash.update(bufferPointer: $0) }
            hash.update(data: certificate)
        }
        return Key(generation: generation, digest: Array(hash.finalize()))
    }

    /// The chain verified for `key`, if still fresh at `now`.
    func chain(for key: Key, now: Date) -> VerifiedChain? {
        entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard now < entry.until else {
                entries[key] = nil
                return nil
            }
            return entry.chain
        }
    }

    /// Remembers `chain` as verified for `key` at `now`.
    func store(_ chain: VerifiedChain, for key: Key, now: Date) {
        guard let leaf = chain.certificates.first else { return }
        let until = min(now.addingTimeInterval(lifetime), leaf.notValidAfter)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (chain, until)
        }
    }
}

/// A chain the upstream verifier trusted (leaf first), with what the connections need of the leaf the
/// server presented: its EVE description, its subject alternative names and its digest (which keys the
/// minted leaf). All worked out once per chain, not once per connection.
struct VerifiedChain: Sendable {
    var certificates: [Certificate]
    var leafSummary: X509Summary?
    var leafNames: ServerIdentity.Names
    /// SHA-256 of the presented leaf's DER.
    var leafDigest: [UInt8]

    /// `presentedLeaf` is the DER of the leaf as the server sent it.
    init(certificates: [Certificate], presentedLeaf: [UInt8]) {
        self.certificates = certificates
        leafSummary = X509Summary(der: presentedLeaf)
        leafNames = certificates.first.map { ServerIdentity.names(of: $0) } ?? ServerIdentity.Names()
        leafDigest = Array(SHA256.hash(data: presentedLeaf))
    }
}
