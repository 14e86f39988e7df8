import Foundation
import SwiftASN1
import Testing
@testable import DataPlane

/// The pieces under the checker: URLs, the certificate's locations, dates, CRL contents.
@Suite("Revocation: parsing")
struct RevocationParsingTests {
    @Test("http URLs: host, port, Host header and target", arguments: [
        ("http://198.19.0.2:8888/ocsp", "198.19.0.2", 8888, "198.19.0.2:8888", "/ocsp"),
        ("http://ocsp.example.test", "ocsp.example.test", 80, "ocsp.example.test", "/"),
        ("HTTP://crl.example.test/a/b.crl?x=1#frag", "crl.example.test", 80, "crl.example.test", "/a/b.crl?x=1"),
        ("http://[::1]:8080/", "::1", 8080, "[::1]:8080", "/"),
    ])
    func urls(_ text: String, _ host: String, _ port: Int, _ authority: String, _ target: String) throws {
        let url = try #require(RevocationURL(text))
        #expect(url.host == host)
        #expect(url.port == port)
        #expect(url.authority == authority)
        #expect(url.target == target)
    }

    @Test("other schemes and odd authorities are refused", arguments: [
        "https://ocsp.example.test/", "ldap://ldap.example.test/cn=CA", "http://", "http://user@host/",
        "http://host:0/", "http://host:99999/", "http://host:+80/", "http://[::1/", "http://host/a b",
    ])
    func refusedURLs(_ text: String) {
        #expect(RevocationURL(text) == nil)
    }

    @Test("locations come from the AIA and the CDP")
    func locations() throws {
        let good = RevocationLocations(try RevocationFixtures.certificate("ec-good"))
        #expect(good == RevocationLocations(ocsp: [RevocationFixtures.ocspURL], crl: [RevocationFixtures.ecCRLURL]))
        let crlOnly = RevocationLocations(try RevocationFixtures.certificate("ec-crlonly"))
        #expect(crlOnly == RevocationLocations(ocsp: [], crl: [RevocationFixtures.ecCRLURL]))
        #expect(RevocationLocations(try RevocationFixtures.certificate("ec-nolocations")) == RevocationLocations(ocsp: [], crl: []))
    }

    @Test("the CRL's entries, reasons and dates are read")
    func crlContents() throws {
        let list = try CertificateRevocationList(bytes: try RevocationFixtures.bytes("ec-ca.crl"))
        #expect(list.revoked.count == 1)
        let entry = try #require(list.revoked[[0x10, 0x03]])
        #expect(entry.reason == CRLReason(code: 1))
        #expect(list.unsupportedFeature == nil)
        let generated = try RevocationFixtures.generatedAt()
        #expect(abs(list.thisUpdate.timeIntervalSince(generated)) < 120)
        let nextUpdate = try #require(list.nextUpdate)
        #expect(abs(nextUpdate.timeIntervalSince(generated) - 7300 * 86400) < 120)

        let rsa = try CertificateRevocationList(bytes: try RevocationFixtures.bytes("rsa-ca.crl"))
        #expect(rsa.revoked[[0x00, 0x8A, 0x01]]?.reason == CRLReason(code: 4))
    }

    @Test("UTCTime and GeneralizedTime become dates", arguments: [
        (0x17 as UInt8, "491231235959Z", 2_524_607_999.0),
        (0x17, "500101000000Z", -631_152_000),
        (0x18, "20000229000000Z", 951_782_400),
        (0x18, "20261207022615.5Z", 1_796_610_375.5),
    ])
    func dates(_ tag: UInt8, _ text: String, _ seconds: Double) throws {
        let node = try DER.parse([tag, UInt8(text.utf8.count)] + Array(text.utf8))
        #expect(try ASN1Time.date(node) == Date(timeIntervalSince1970: seconds))
    }
}
