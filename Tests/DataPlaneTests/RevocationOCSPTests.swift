import Foundation
import Testing
@testable import DataPlane

/// OCSP answers made offline by `openssl ocsp` (Fixtures/Revocation), served by a fake fetcher.
@Suite("Revocation: OCSP")
struct RevocationOCSPTests {
    typealias H = RevocationHarness
    let ocsp = RevocationFixtures.ocspURL
    let crl = RevocationFixtures.ecCRLURL

    @Test("good, signed by the issuer itself: one POST of an OCSP request")
    func goodSignedByIssuer() async throws {
        let harness = try H([ocsp: try H.file("ocsp-ec-good-by-ca.der")])
        let result = try await harness.check("ec-good", issuer: "ec-ca")
        #expect(result == RevocationResult(status: .good, source: "ocsp", reason: "OCSP responder \(ocsp): good"))
        let requests = await harness.fetcher.requests
        #expect(requests.count == 1)
        #expect(requests.first?.contentType == "application/ocsp-request")
        #expect(requests.first?.body != nil)
    }

    @Test("without a nonce the request is byte for byte the one openssl makes")
    func requestMatchesOpenSSL() async throws {
        let harness = try H([ocsp: try H.file("ocsp-ec-good-by-ca.der")]) { $0.sendsNonce = false }
        _ = try await harness.check("ec-good", issuer: "ec-ca")
        let body = await harness.fetcher.requests.first?.body
        #expect(body == (try RevocationFixtures.bytes("ocsp-request-ec-good.der")))
    }

    @Test("a nonce is sent by default and the request differs each time")
    func nonceSent() async throws {
        let harness = try H()
        _ = try await harness.check("ec-good", issuer: "ec-ca")
        let other = try H()
        _ = try await other.check("ec-good", issuer: "ec-ca")
        let first = try #require(await harness.fetcher.requests.first?.body)
        let second = try #require(await other.fetcher.requests.first?.body)
        let plain = try RevocationFixtures.bytes("ocsp-request-ec-good.der")
        #expect(first.count > plain.count)
        #expect(first != second)
    }

    @Test("good, signed by a delegated responder the issuer certified for OCSP signing")
    func goodDelegated() async throws {
        let harness = try H([ocsp: try H.file("ocsp-ec-good-delegated.der")])
        let result = try await harness.check("ec-good", issuer: "ec-ca")
        #expect(result.status == .good)
        #expect(result.source == "ocsp")
    }

    @Test("revoked, with the reason and time the responder gives")
    func revoked() async throws {
        let harness = try H([ocsp: try H.file("ocsp-ec-revoked.der")])
        let result = try await harness.check("ec-revoked", issuer: "ec-ca")
        #expect(result.status == .revoked)
        #expect(result.source == "ocsp")
        #expect(result.reason.hasPrefix("OCSP responder \(ocsp): revoked (keyCompromise) at 20"))
        #expect(result.reason.hasSuffix("+0000"))
        #expect(await harness.fetcher.count(crl) == 0)
    }

    @Test("RSA issuer: good and revoked (serials with the top bit set)")
    func rsaIssuer() async throws {
        let good = try H([ocsp: try H.file("ocsp-rsa-good.der")])
        #expect(try await good.check("rsa-good", issuer: "rsa-ca").status == .good)
        let revoked = try H([ocsp: try H.file("ocsp-rsa-revoked.der")])
        let result = try await revoked.check("rsa-revoked", issuer: "rsa-ca")
        #expect(result.status == .revoked)
        #expect(result.reason.contains("revoked (superseded)"))
    }

    @Test("the responder's unknown is unknown, and the CRL is asked next")
    func unknownStatus() async throws {
        let harness = try H([ocsp: try H.file("ocsp-ec-unknown.der")])
        let result = try await harness.check("ec-unknown", issuer: "ec-ca")
        #expect(result.status == .unknown)
        #expect(result.source == "ocsp")
        #expect(result.reason == "OCSP responder \(ocsp): certificate unknown; CRL \(crl) answered HTTP 404")

        let withCRL = try H([ocsp: try H.file("ocsp-ec-unknown.der"), crl: try H.file("ec-ca.crl")])
        let decided = try await withCRL.check("ec-unknown", issuer: "ec-ca")
        #expect(decided.status == .good)
        #expect(decided.source == "crl")
    }

    /// Responses that must not be believed, with the phrase the reason carries.
    static let refusals: [(response: String, leaf: String, offset: TimeInterval, phrase: String)] = [
        ("ocsp-ec-good-by-noeku.der", "ec-good", 60, "signed by a certificate the issuer did not authorize for OCSP signing"),
        ("ocsp-ec-good-by-other.der", "ec-good", 60, "signed by a certificate the issuer did not authorize for OCSP signing"),
        ("ocsp-ec-good-delegated.der", "ec-revoked", 60, "no response for serial 10:03"),
        ("ocsp-ec-good-short.der", "ec-good", 2 * 3600, "expired at 20"),
        ("ocsp-ec-good-by-ca.der", "ec-good", -86400, "not valid before 20"),
        ("ocsp-ec-good-nonextupdate.der", "ec-good", 8 * 86400, "stale: produced 20"),
        ("ocsp-ec-good-nonce.der", "ec-good", 60, "nonce does not match the request's"),
        ("ocsp-rsa-good.der", "ec-good", 60, "signed by a certificate the issuer did not authorize for OCSP signing"),
    ]

    @Test("refused answers give unknown with the reason", arguments: Self.refusals)
    func refused(_ refusal: (response: String, leaf: String, offset: TimeInterval, phrase: String)) async throws {
        let harness = try H([ocsp: try H.file(refusal.response)], offset: refusal.offset)
        let result = try await harness.check(refusal.leaf, issuer: "ec-ca")
        #expect(result.status == .unknown)
        #expect(result.source == "none")
        #expect(result.reason.hasPrefix("OCSP responder \(ocsp): \(refusal.phrase)"), "\(result.reason)")
    }

    @Test("the same answers are believed within the clock skew and when no nonce was sent")
    func toleratedVariants() async throws {
        let skewed = try H([ocsp: try H.file("ocsp-ec-good-delegated.der")], offset: -120)
        #expect(try await skewed.check("ec-good", issuer: "ec-ca").status == .good)
        let late = try H([ocsp: try H.file("ocsp-ec-good-short.der")], offset: 3600 + 120)
        #expect(try await late.check("ec-good", issuer: "ec-ca").status == .good)
        let noNonce = try H([ocsp: try H.file("ocsp-ec-good-nonce.der")]) { $0.sendsNonce = false }
        #expect(try await noNonce.check("ec-good", issuer: "ec-ca").status == .good)
    }

    @Test("a tampered signature is refused")
    func tamperedSignature() async throws {
        var response = try RevocationFixtures.bytes("ocsp-ec-good-by-ca.der")
        // producedAt, the first GeneralizedTime: change the tens of minutes, a signed byte.
        let start = try #require(response.indices.first { response[$0] == 0x18 && response[$0 + 1] == 0x0F })
        let minuteTens = start + 2 + 10
        response[minuteTens] = response[minuteTens] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        let harness = try H([ocsp: .success(response)])
        let result = try await harness.check("ec-good", issuer: "ec-ca")
        #expect(result.status == .unknown)
        #expect(result.reason.hasPrefix(
            "OCSP responder \(ocsp): signature does not verify with the issuer's key or an authorized responder's"
        ))
    }

    @Test("unsuccessful and malformed responses are refused")
    func unsuccessfulAndMalformed() async throws {
        let tryLater = try H([ocsp: .success([0x30, 0x03, 0x0A, 0x01, 0x03])])
        #expect(try await tryLater.check("ec-good", issuer: "ec-ca").reason.hasPrefix("OCSP responder \(ocsp): response status tryLater"))
        let garbage = try H([ocsp: .success(Array("<html>oops</html>".utf8))])
        let result = try await garbage.check("ec-good", issuer: "ec-ca")
        #expect(result.status == .unknown)
        #expect(result.reason.hasPrefix("OCSP responder \(ocsp): malformed ("))
    }
}
