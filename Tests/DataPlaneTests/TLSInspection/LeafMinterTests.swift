import Foundation
import Testing
@testable import DataPlane
import Crypto
import Shared
import X509

@Suite("Minted leaves")
struct LeafMinterTests {
    @Test func aLeafCopiesTheServersNamesAndIsSignedByTheInspectionCA() async throws {
        let inspection = try TestCertificates.authority("Rampart Inspection CA")
        let serverCA = try TestCertificates.authority("Server CA")
        let upstream = try TestCertificates.leaf(["allowed.test", "www.allowed.test"], issuer: serverCA)
        let authority = try InspectionAuthority(TestCertificates.material(inspection))
        let minter = LeafMinter()
        let leaf = try minter.mint(for: upstream.certificate, serverName: "allowed.test", authority: authority)

        #expect(leaf.issuer == inspection.certificate.subject)
        #expect(leaf.subject == upstream.certificate.subject)
        #expect(ServerIdentity.names(of: leaf).dns == ["allowed.test", "www.allowed.test"])
        #expect(leaf.publicKey == Certificate.PublicKey(minter.leafKey.publicKey))
        #expect(inspection.certificate.publicKey.isValidSignature(leaf.signature, for: leaf))
        #expect(!serverCA.certificate.publicKey.isValidSignature(leaf.signature, for: leaf))
        #expect(try leaf.extensions.basicConstraints == .notCertificateAuthority)
        #expect(try leaf.extensions.extendedKeyUsage?.contains(.serverAuth) == true)
        #expect(leaf.notValidAfter == upstream.certificate.notValidAfter)

        // The client trusts the inspection CA, so a verifier with it as root accepts the leaf for the SNI.
        var verifier = Verifier(rootCertificates: CertificateStore([inspection.certificate])) {
            RFC5280Policy()
        }
        guard case .validCertificate = await verifier.validate(leaf: leaf, intermediates: CertificateStore()) else {
            Issue.record("the minted leaf does not chain to the inspection CA")
            return
        }
    }

    @Test func validityIsClippedToTheCAAndNamesFallBackToTheSNI() throws {
        let inspection = try TestCertificates.authority("Short CA", notAfter: TestCertificates.now.addingTimeInterval(86_400))
        let serverCA = try TestCertificates.authority("Server CA")
        let upstream = try TestCertificates.leaf([], commonName: "legacy.test", issuer: serverCA)
        let leaf = try LeafMinter().mint(
            for: upstream.certificate, serverName: "legacy.test", authority: try InspectionAuthority(TestCertificates.material(inspection))
        )
        #expect(leaf.notValidAfter == inspection.certificate.notValidAfter)
        #expect(ServerIdentity.names(of: leaf).dns == ["legacy.test"])
    }

    @Test func aKeyThatDoesNotMatchIsRefusedWithoutShowingIt() throws {
        let inspection = try TestCertificates.authority("CA")
        let other = try TestCertificates.authority("Other")
        var material = TestCertificates.material(inspection)
        material.privateKeyPEM = other.keyPEM
        do {
            _ = try InspectionAuthority(material)
            Issue.record("a mismatched key was accepted")
        } catch {
            #expect(error.message.contains("does not match"))
            #expect(!error.description.contains("PRIVATE KEY") && !error.description.contains(other.keyPEM.prefix(60)))
        }
    }
}
