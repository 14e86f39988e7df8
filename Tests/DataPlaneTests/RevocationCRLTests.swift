import Foundation
import Testing
@testable import DataPlane

/// CRLs made by `openssl ca -gencrl` (Fixtures/Revocation), asked when OCSP gives no answer.
@Suite("Revocation: CRL")
struct RevocationCRLTests {
    typealias H = RevocationHarness
    let ocsp = RevocationFixtures.ocspURL
    let crl = RevocationFixtures.ecCRLURL

    @Test("OCSP unreachable: the CRL decides revoked and good, and the reason says both")
    func ocspUnreachableCRLDecides() async throws {
        let harness = try H([ocsp: H.refused, crl: try H.file("ec-ca.crl")])
        let revoked = try await harness.check("ec-revoked", issuer: "ec-ca")
        #expect(revoked.status == .revoked)
        #expect(revoked.source == "crl")
        #expect(revoked.reason.hasPrefix("CRL \(crl): revoked (keyCompromise) at 20"))
        #expect(revoked.reason.hasSuffix("; OCSP responder \(ocsp) unreachable: connection refused"))
        let good = try await harness.check("ec-good", issuer: "ec-ca")
        #expect(good == RevocationResult(
            status: .good, source: "crl",
            reason: "CRL \(crl): good (not listed); OCSP responder \(ocsp) unreachable: connection refused"
        ))
        let requests = await harness.fetcher.requests.filter { $0.url == crl }
        #expect(requests == [FakeRevocationFetcher.Request(url: crl, body: nil, contentType: nil)], "one GET, then the cached CRL")
    }

    @Test("a PEM CRL is read too")
    func pem() async throws {
        let harness = try H([ocsp: H.refused, crl: try H.file("ec-ca.crl.pem")])
        #expect(try await harness.check("ec-revoked", issuer: "ec-ca").status == .revoked)
    }

    @Test("a certificate with only a CDP is decided by its CRL")
    func crlOnly() async throws {
        let harness = try H([crl: try H.file("ec-ca.crl")])
        let result = try await harness.check("ec-crlonly", issuer: "ec-ca")
        #expect(result == RevocationResult(
            status: .good, source: "crl", reason: "CRL \(crl): good (not listed); no OCSP responder in the certificate"
        ))
        #expect(await harness.fetcher.count(ocsp) == 0)
    }

    @Test("RSA issuer: revoked by its CRL")
    func rsa() async throws {
        let harness = try H([ocsp: H.refused, RevocationFixtures.rsaCRLURL: try H.file("rsa-ca.crl")])
        let result = try await harness.check("rsa-revoked", issuer: "rsa-ca")
        #expect(result.status == .revoked)
        #expect(result.reason.hasPrefix("CRL \(RevocationFixtures.rsaCRLURL): revoked (superseded) at "))
        #expect(try await harness.check("rsa-good", issuer: "rsa-ca").status == .good)
    }

    @Test("a CRL of another CA, a tampered CRL and an expired CRL are refused")
    func refused() async throws {
        let other = try H([ocsp: H.refused, crl: try H.file("rsa-ca.crl")])
        #expect(try await other.check("ec-revoked", issuer: "ec-ca").reason.contains("CRL \(crl): issued by another CA"))

        var tampered = try RevocationFixtures.bytes("ec-ca.crl")
        // thisUpdate, the first UTCTime: change the tens of minutes, a signed byte.
        let start = try #require(tampered.indices.first { tampered[$0] == 0x17 && tampered[$0 + 1] == 0x0D })
        tampered[start + 2 + 8] = tampered[start + 2 + 8] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        let forged = try H([ocsp: H.refused, crl: .success(tampered)])
        let result = try await forged.check("ec-revoked", issuer: "ec-ca")
        #expect(result.status == .unknown)
        #expect(result.reason.contains("CRL \(crl): signature does not verify"))

        let expired = try H([ocsp: H.refused, crl: try H.file("ec-ca-short.crl")], offset: 2 * 3600)
        #expect(try await expired.check("ec-good", issuer: "ec-ca").reason.contains("CRL \(crl): expired at 20"))

        let garbage = try H([ocsp: H.refused, crl: .success(Array("not a CRL".utf8))])
        #expect(try await garbage.check("ec-good", issuer: "ec-ca").reason.contains("CRL \(crl): malformed ("))
    }

    @Test("neither source answers: unknown, saying why for each")
    func neither() async throws {
        let harness = try H([ocsp: H.refused, crl: .failure(.timedOut(.seconds(3)))])
        let result = try await harness.check("ec-good", issuer: "ec-ca")
        #expect(result == RevocationResult(
            status: .unknown, source: "none",
            reason: "OCSP responder \(ocsp) unreachable: connection refused; CRL \(crl) unreachable: no response within 3.0 seconds"
        ))
    }

    @Test("no location at all: unknown without a fetch")
    func noLocation() async throws {
        let harness = try H()
        let result = try await harness.check("ec-nolocations", issuer: "ec-ca")
        #expect(result == RevocationResult(status: .unknown, source: "none", reason: "no OCSP or CRL location in the certificate"))
        #expect(await harness.fetcher.requests.isEmpty)
    }
}
