import Testing
@testable import DataPlane

@Suite("Interception state machine")
struct InterceptionStateMachineTests {
    typealias Machine = InterceptionStateMachine

    @Test func withSessionHoldingNothingReachesTheServerBeforeTheSNIStage() {
        var machine = Machine()
        #expect(machine.event(.accepted(sessionHolding: true)) == .none)
        #expect(machine.event(.clientHelloInspected(nil)) == .connectUpstream)
        #expect(machine.event(.upstreamConnected) == .startUpstreamTLS)
        #expect(machine.event(.upstreamVerified(revocationCheck: false)) == .startClientTLS)
        #expect(machine.event(.clientHandshakeCompleted) == .startRelay)
        #expect(machine.event(.decryptedInspected(nil)) == .none)
        #expect(machine.event(.peerClosed) == .close(.graceful))
        #expect(machine.isClosed)
        #expect(machine.event(.peerClosed) == .none)
    }

    @Test func aDeniedSNIWithHoldingNeverConnects() {
        var machine = Machine()
        _ = machine.event(.accepted(sessionHolding: true))
        #expect(machine.event(.clientHelloInspected(.drop)) == .close(.drop))
        #expect(machine.event(.upstreamConnected) == .none, "nothing happens after the end")
    }

    @Test func withoutHoldingTheServerConnectionOpensAtOnce() {
        var machine = Machine()
        #expect(machine.event(.accepted(sessionHolding: false)) == .connectUpstream)
        #expect(machine.event(.upstreamConnected) == .none, "waits for the ClientHello")
        #expect(machine.event(.clientHelloInspected(nil)) == .startUpstreamTLS)

        var early = Machine()
        _ = early.event(.accepted(sessionHolding: false))
        #expect(early.event(.clientHelloInspected(nil)) == .none, "the connection is still opening")
        #expect(early.event(.upstreamConnected) == .startUpstreamTLS)

        var denied = Machine()
        _ = denied.event(.accepted(sessionHolding: false))
        #expect(denied.event(.clientHelloInspected(.reject)) == .close(.reject))
    }

    @Test func revocationActionsApplyAfterTheClientHandshake() {
        for close in [Machine.Close.drop, .reject] {
            var machine = Machine()
            _ = machine.event(.accepted(sessionHolding: true))
            _ = machine.event(.clientHelloInspected(nil))
            _ = machine.event(.upstreamConnected)
            #expect(machine.event(.upstreamVerified(revocationCheck: true)) == .checkRevocation)
            #expect(machine.event(.revocationChecked(close)) == .startClientTLS)
            #expect(machine.event(.clientHandshakeCompleted) == .closeAfterRequest(close))
            #expect(machine.event(.requestReceived) == .close(close))
        }
        var passing = Machine()
        _ = passing.event(.accepted(sessionHolding: true))
        _ = passing.event(.clientHelloInspected(nil))
        _ = passing.event(.upstreamConnected)
        _ = passing.event(.upstreamVerified(revocationCheck: true))
        #expect(passing.event(.revocationChecked(nil)) == .startClientTLS)
        #expect(passing.event(.clientHandshakeCompleted) == .startRelay)
    }

    @Test func failuresEndTheConnection() {
        var mismatch = Machine()
        _ = mismatch.event(.accepted(sessionHolding: true))
        _ = mismatch.event(.clientHelloInspected(nil))
        _ = mismatch.event(.upstreamConnected)
        #expect(mismatch.event(.serverNameMismatch) == .close(.drop))

        var refused = Machine()
        _ = refused.event(.accepted(sessionHolding: true))
        _ = refused.event(.clientHelloInspected(nil))
        #expect(refused.event(.upstreamConnectFailed) == .close(.reject))

        var relaying = Machine()
        _ = relaying.event(.accepted(sessionHolding: true))
        _ = relaying.event(.clientHelloInspected(nil))
        _ = relaying.event(.upstreamConnected)
        _ = relaying.event(.upstreamVerified(revocationCheck: false))
        _ = relaying.event(.clientHandshakeCompleted)
        #expect(relaying.event(.decryptedInspected(.reject)) == .close(.reject))

        var early = Machine()
        _ = early.event(.accepted(sessionHolding: true))
        #expect(early.event(.peerClosed) == .close(.drop))

        var confused = Machine()
        _ = confused.event(.accepted(sessionHolding: true))
        #expect(confused.event(.clientHandshakeCompleted) == .close(.drop), "an out-of-order event ends the connection")
    }
}
