import NIOSSL
import Testing
@testable import DataPlane

@Suite("Upstream key-exchange groups")
struct UpstreamGroupsTests {
    @Test func aClientWithoutTheHybridDoesNotGetOneAdded() {
        // OpenSSL 3.0's default offer: x25519, secp256r1, x448, secp521r1, secp384r1, then finite-field groups.
        let openSSL: [UInt16] = [0x1D, 0x17, 0x1E, 0x19, 0x18, 0x100, 0x101]
        #expect(UpstreamGroups.offer(forClientGroups: openSSL) == [.x25519, .secp256r1, .secp384r1, .secp521r1])
    }

    @Test func aClientOfferingTheHybridKeepsIt() {
        let offer = UpstreamGroups.offer(forClientGroups: [0x2A2A, 0x11EC, 0x1D, 0x17])
        #expect(offer == [.x25519_MLKEM768, .x25519, .secp256r1])
    }

    @Test func theEnginesOrderDecidesWhichShareGoesFirst() {
        #expect(UpstreamGroups.offer(forClientGroups: [0x18, 0x17]) == [.secp256r1, .secp384r1])
    }

    @Test func nothingSharedMeansTheDefaultSet() {
        #expect(UpstreamGroups.offer(forClientGroups: []) == nil, "no supported_groups extension")
        #expect(UpstreamGroups.offer(forClientGroups: [0x0A0A, 0x1E, 0x100]) == nil, "GREASE, x448 and FFDHE only")
    }
}
