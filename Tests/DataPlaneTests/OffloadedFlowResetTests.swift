import Testing
@testable import DataPlane

@Suite("Offloaded flow reset")
struct OffloadedFlowResetTests {
    @Test func argumentsDeleteTheEntriesMarkedForOffload() {
        #expect(OffloadedFlowReset.arguments == ["-D", "-p", "tcp", "--mark", "0x1000000/0x1000000"])
    }

    @Test func deletedEntriesAreCounted() {
        let line = OffloadedFlowReset.outcome(
            status: 0, message: "conntrack v1.4.7 (conntrack-tools): 3 flow entries have been deleted.\n"
        )
        #expect(line == "TLS inspection scopes changed: 3 offloaded TCP flows re-queued")
    }

    @Test func nothingToDeleteIsNotAnError() {
        let line = OffloadedFlowReset.outcome(
            status: 1, message: "conntrack v1.4.7 (conntrack-tools): Operation failed: such conntrack doesn't exist\n"
        )
        #expect(line == "TLS inspection scopes changed: no offloaded TCP flow to re-queue")
    }

    @Test func zeroDeletedEntriesAreNotAnError() {
        let line = OffloadedFlowReset.outcome(
            status: 1, message: "conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n"
        )
        #expect(line == "TLS inspection scopes changed: no offloaded TCP flow to re-queue")
    }

    @Test func otherFailuresAreLoggedAsErrors() {
        let line = OffloadedFlowReset.outcome(status: 1, message: "conntrack v1.4.7 (conntrack-tools): Operation not permitted\n")
        #expect(line.hasPrefix("error: ") && line.contains("exit 1") && line.contains("Operation not permitted"))
    }
}
