import Foundation
import NIOCore
import NIOSSL
import Testing
import X509
@testable import DataPlane

@Suite("Close-notify wait of the engine's TLS contexts")
struct CloseNotifyWaitTests {
    @Test func theWaitIsShorterThanNIOSSLsDefault() {
        // NIOSSL keeps the timer (and the closed connection with it) until it fires when the peer closes first.
        #expect(CloseNotifyWait.timeout < TLSConfiguration.makeClientConfiguration().shutdownTimeout)
        #expect(CloseNotifyWait.timeout == .seconds(1))
    }

    @Test func contextsTowardClientsWaitThatLong() throws {
        let inspection = try TestCertificates.authority("Rampart Inspection CA")
        let serverCA = try TestCertificates.authority("Server CA")
        let upstream = try TestCertificates.leaf(["allowed.test"], issuer: serverCA)
        let authority = try InspectionAuthority(TestCertificates.material(inspection))
        let cache = try ServerContextCache(minter: LeafMinter())

        let egress = try cache.egress(
            authority: authority, serverName: "allowed.test", upstream: upstream.certificate, upstreamDigest: [1, 2, 3],
            applicationProtocol: "http/1.1"
        )
        #expect(egress.configuration.shutdownTimeout == CloseNotifyWait.timeout)

        let server = try TestCertificates.leaf(["inbound.test"], issuer: serverCA)
        let inbound = try cache.inbound(
            certificate: try InspectionAuthority(TestCertificates.material(server, arn: "arn:aws:acm:us-east-1:111111111111:certificate/in")),
            applicationProtocol: nil
        )
        #expect(inbound.configuration.shutdownTimeout == CloseNotifyWait.timeout)
    }

    @Test func contextsTowardServersWaitThatLong() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("close-notify-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let engine = try TLSEngineContext(active: ActiveSnapshot(), eve: try EveWriter(path: path), revocation: NoRevocation())

        for verifies in [true, false] {
            let context = try engine.upstreamContext(applicationProtocols: ["http/1.1"], groups: nil, verifies: verifies)
            #expect(context.configuration.shutdownTimeout == CloseNotifyWait.timeout)
        }
    }
}

/// A revocation checker that is never asked here.
private struct NoRevocation: RevocationChecking {
    func check(_ certificate: Certificate, issuer: Certificate) async -> RevocationResult {
        RevocationResult(status: .unknown, source: "none", reason: "not asked")
    }
}
