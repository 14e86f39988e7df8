import Testing
@testable import DataPlane

@Suite("Server identity: SANs against the SNI")
struct ServerIdentityTests {
    @Test(arguments: [
        ("allowed.test", "allowed.test", true),
        ("allowed.test", "ALLOWED.test.", true),
        ("*.example.test", "www.example.test", true),
        ("*.example.test", "example.test", false),
        ("*.example.test", "a.b.example.test", false),
        ("*.test", "example.test", false),
        ("www.*.test", "www.example.test", false),
        ("allowed.test", "other.test", false),
        ("", "allowed.test", false),
    ])
    func patterns(pattern: String, name: String, expected: Bool) {
        #expect(ServerIdentity.matches(pattern: pattern, name: name) == expected)
    }

    @Test func onlySubjectAlternativeNamesCountNotTheCommonName() throws {
        let ca = try TestCertificates.authority("CA")
        let noSAN = try TestCertificates.leaf([], commonName: "allowed.test", issuer: ca)
        #expect(!ServerIdentity.covers(noSAN.certificate, serverName: "allowed.test"))
        let leaf = try TestCertificates.leaf(["other.test", "*.wild.test"], issuer: ca, ipAddresses: [[198, 19, 0, 2]])
        #expect(ServerIdentity.covers(leaf.certificate, serverName: "other.test"))
        #expect(ServerIdentity.covers(leaf.certificate, serverName: "x.wild.test"))
        #expect(!ServerIdentity.covers(leaf.certificate, serverName: "allowed.test"))
        #expect(ServerIdentity.covers(leaf.certificate, serverName: "198.19.0.2"))
        #expect(!ServerIdentity.covers(leaf.certificate, serverName: "198.19.0.3"))
        #expect(ServerIdentity.names(of: leaf.certificate).dns == ["other.test", "*.wild.test"])
    }
}
