import HTTPTypes
import Shared
import Foundation
import GRDB
import Testing

@testable import ControlPlane

@Suite("Certificates and TLS inspection configurations over the API")
struct CertificateAPITests {
    static func importBody(certificate: String, key: String, chain: String? = nil) -> String {
        var body = #"{"Certificate": \#(APIClient.quote(certificate)), "PrivateKey": \#(APIClient.quote(key))"#
        if let chain { body += #", "CertificateChain": \#(APIClient.quote(chain))"# }
        return body + "}"
    }

    static func importCA(_ client: APIClient) async throws -> String {
        let response = try await client.post("/v1/certificates", importBody(certificate: try APIHarness.fixture("ca.pem"), key: try APIHarness.fixture("ca.key")))
        #expect(response.status == 201, "\(response.text)")
        return try #require(response.string("CertificateArn"))
    }

    @Test func importDescribeAndGet() async throws {
        try await APIHarness().test { client in
            let leaf = try await client.post("/v1/certificates", Self.importBody(certificate: try APIHarness.fixture("leaf.pem"), key: try APIHarness.fixture("leaf.key"), chain: try APIHarness.fixture("ca.pem")))
            #expect(leaf.status == 201, "\(leaf.text)")
            let arn = try #require(leaf.string("CertificateArn"))
            #expect(arn.hasPrefix("arn:aws:acm:us-east-1:000000000000:certificate/"))
            let id = String(arn.split(separator: "/").last!)
            let described = try await client.get("/v1/certificates/\(id)")
            #expect(described.status == 200)
            #expect(described.string("Certificate.DomainName") == "allowed.test")
            #expect(described.value("Certificate.SubjectAlternativeNames") as? [String] == ["allowed.test", "www.allowed.test"])
            #expect(described.string("Certificate.KeyAlgorithm") == "EC-prime256v1")
            #expect(described.string("Certificate.Status") == "ISSUED")
            #expect(described.string("Certificate.Type") == "IMPORTED")
            #expect(described.string("Certificate.Issuer")?.contains("Rampart Test CA") == true)
            #expect(described.value("Certificate.IsCertificateAuthority") as? Bool == false)
            #expect(described.string("Certificate.Serial")?.contains(":") == true)
            let pem = try await client.get("/v1/certificates/\(id)/pem")
            #expect(pem.string("Certificate")?.contains("BEGIN CERTIFICATE") == true)
            #expect(pem.string("CertificateChain")?.contains("BEGIN CERTIFICATE") == true)
            let list = try await client.get("/v1/certificates")
            #expect((list.value("CertificateSummaryList") as? [Any])?.count == 1)
        }
    }

    @Test func privateKeysNeverLeave() async throws {
        let harness = try APIHarness()
        let key = try APIHarness.fixture("ca.key")
        let keyBody = key.split(separator: "\n").dropFirst().first.map(String.init) ?? key
        try await harness.test { client in
            let arn = try await Self.importCA(client)
            let id = String(arn.split(separator: "/").last!)
            for uri in ["/v1/certificates", "/v1/certificates/\(id)", "/v1/certificates/\(id)/pem"] {
                let response = try await client.get(uri)
                #expect(!response.text.contains("PRIVATE KEY"), "\(uri)")
                #expect(!response.text.contains(keyBody), "\(uri)")
            }
            let mismatch = try await client.post("/v1/certificates", Self.importBody(certificate: try APIHarness.fixture("leaf.pem"), key: key))
            #expect(!mismatch.text.contains(keyBody))
        }
        let sealed = try harness.services.store.read { db in try Data.fetchAll(db, sql: "SELECT key_sealed FROM certificates") }
        #expect(sealed.count == 1)
        #expect(String(decoding: sealed[0], as: UTF8.self).contains("PRIVATE KEY") == false)
    }

    @Test func badMaterialNamesTheMember() async throws {
        try await APIHarness().test { client in
            let mismatch = try await client.post("/v1/certificates", Self.importBody(certificate: try APIHarness.fixture("leaf.pem"), key: try APIHarness.fixture("rsa.key")))
            #expect(mismatch.status == 400)
            #expect(mismatch.message.contains("PrivateKey"))
            let notPEM = try await client.post("/v1/certificates", Self.importBody(certificate: "hello", key: try APIHarness.fixture("rsa.key")))
            #expect(notPEM.status == 400)
            #expect(notPEM.message.contains("Certificate"))
            let notKey = try await client.post("/v1/certificates", Self.importBody(certificate: try APIHarness.fixture("rsa.pem"), key: "nope"))
            #expect(notKey.message.contains("PrivateKey"))
            let badChain = try await client.post("/v1/certificates", Self.importBody(certificate: try APIHarness.fixture("rsa.pem"), key: try APIHarness.fixture("rsa.key"), chain: "garbage"))
            #expect(badChain.message.contains("CertificateChain"))
            #expect((try await client.get("/v1/certificates").value("CertificateSummaryList") as? [Any])?.isEmpty == true)
        }
    }

    @Test func rsaKeyAlgorithm() async throws {
        try await APIHarness().test { client in
            let response = try await client.post("/v1/certificates", Self.importBody(certificate: try APIHarness.fixture("rsa.pem"), key: try APIHarness.fixture("rsa.key")))
            let id = String(try #require(response.string("CertificateArn")).split(separator: "/").last!)
            #expect(try await client.get("/v1/certificates/\(id)").string("Certificate.KeyAlgorithm") == "RSA-2048")
        }
    }

    @Test func tlsConfigurationNeedsACertificateAuthority() async throws {
        try await APIHarness().test { client in
            let caArn = try await Self.importCA(client)
            let leaf = try await client.post("/v1/certificates", Self.importBody(certificate: try APIHarness.fixture("leaf.pem"), key: try APIHarness.fixture("leaf.key")))
            let leafArn = try #require(leaf.string("CertificateArn"))
            func body(_ name: String, authority: String, protocols: String = "[6]", revocation: String = "REJECT") -> String {
                #"{"TLSInspectionConfigurationName": "\#(name)", "TLSInspectionConfiguration": {"ServerCertificateConfigurations": [{"CertificateAuthorityArn": "\#(authority)", "Scopes": [{"Protocols": \#(protocols), "DestinationPorts": [{"FromPort": 443, "ToPort": 443}]}], "CheckCertificateRevocationStatus": {"RevokedStatusAction": "\#(revocation)", "UnknownStatusAction": "PASS"}}]}}"#
            }
            let notCA = try await client.post("/v1/tls-inspection-configurations", body("t", authority: leafArn))
            #expect(notCA.status == 400)
            #expect(notCA.message.contains("certificate authority"))
            let udp = try await client.post("/v1/tls-inspection-configurations", body("t", authority: caArn, protocols: "[17]"))
            #expect(udp.status == 400)
            let badAction = try await client.post("/v1/tls-inspection-configurations", body("t", authority: caArn, revocation: "MAYBE"))
            #expect(badAction.status == 400)
            let created = try await client.post("/v1/tls-inspection-configurations", body("t", authority: caArn))
            #expect(created.status == 201, "\(created.text)")
            #expect(created.string("TLSInspectionConfigurationResponse.CertificateAuthority.CertificateArn") == caArn)

            let caId = String(caArn.split(separator: "/").last!)
            let inUse = try await client.delete("/v1/certificates/\(caId)")
            #expect(inUse.status == 409)
            #expect(inUse.errorType == "ResourceInUseException")
            #expect(try await client.get("/v1/certificates/\(caId)").value("Certificate.InUseBy") as? [String] == ["arn:aws:network-firewall:us-east-1:000000000000:tls-configuration/t"])

            let policy = try await client.createPolicy("p", statefulArns: [], extra: #", "TLSInspectionConfigurationArn": "arn:aws:network-firewall:us-east-1:000000000000:tls-configuration/t", "EnableTLSSessionHolding": true"#)
            #expect(policy.status == 201)
            #expect(try await client.delete("/v1/tls-inspection-configurations/t").errorType == "InvalidOperationException")
        }
    }
}
