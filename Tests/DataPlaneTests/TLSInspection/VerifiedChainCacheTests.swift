import Crypto
import Foundation
import Testing
@testable import DataPlane

@Suite("Verified upstream chains")
struct VerifiedChainCacheTests {
    @Test func entriesExpireAndBelongToTheirTrustRootsAndChain() throws {
        let ca = try TestCertificates.authority("CA")
        let leaf = try TestCertificates.leaf(["allowed.test"], issuer: ca)
        let cache = VerifiedChainCache(lifetime: 60, capacity: 2)
        let now = TestCertificates.now
        let key = VerifiedChainCache.key(generation: 1, presented: [leaf.der])
        cache.store(VerifiedChain(certificates: [leaf.certificate, ca.certificate], presentedLeaf: leaf.der), for: key, now: now)

        #expect(cache.chain(for: key, now: now.addingTimeInterval(59))?.certificates.count == 2)
        #expect(cache.chain(for: key, now: now.addingTimeInterval(61)) == nil, "older than the lifetime")
        #expect(cache.chain(for: VerifiedChainCache.key(generation: 2, presented: [leaf.der]), now: now) == nil, "other roots")
        #expect(VerifiedChainCache.key(generation: 1, presented: [leaf.der, ca.der]) != key, "another presented chain")

        let shortLived = try TestCertificates.leaf(["short.test"], issuer: ca, notAfter: now.addingTimeInterval(10))
        let shortKey = VerifiedChainCache.key(generation: 1, presented: [shortLived.der])
        cache.store(VerifiedChain(certificates: [shortLived.certificate, ca.certificate], presentedLeaf: shortLived.der), for: shortKey, now: now)
        #expect(cache.chain(for: shortKey, now: now.addingTimeInterval(11)) == nil, "never past the leaf's expiry")
    }

    @Test func aChainCarriesItsLeafsNamesReadOnce() throws {
        let ca = try TestCertificates.authority("CA")
        let leaf = try TestCertificates.leaf(["allowed.test", "*.wild.test"], issuer: ca)
        let chain = VerifiedChain(certificates: [leaf.certificate, ca.certificate], presentedLeaf: leaf.der)
        #expect(chain.leafNames == ServerIdentity.names(of: leaf.certificate))
        #expect(chain.leafNames.dns == ["allowed.test", "*.wild.test"])
        #expect(ServerIdentity.covers(chain.leafNames, serverName: "x.wild.test"))
        #expect(!ServerIdentity.covers(chain.leafNames, serverName: "other.test"))
        #expect(VerifiedChain(certificates: [], presentedLeaf: []).leafNames == ServerIdentity.Names())
    }

    @Test func aChainCarriesItsPresentedLeafsDigestAndSummary() throws {
        let ca = try TestCertificates.authority("CA")
        let leaf = try TestCertificates.leaf(["allowed.test"], issuer: ca)
        let other = try TestCertificates.leaf(["allowed.test"], issuer: ca)
        let chain = VerifiedChain(certificates: [leaf.certificate, ca.certificate], presentedLeaf: leaf.der)
        #expect(chain.leafDigest == Array(SHA256.hash(data: leaf.der)))
        #expect(chain.leafDigest != VerifiedChain(certificates: [other.certificate], presentedLeaf: other.der).leafDigest)
        #expect(chain.leafSummary == X509Summary(der: leaf.der))
        #expect(chain.leafSummary != nil)
    }
}
