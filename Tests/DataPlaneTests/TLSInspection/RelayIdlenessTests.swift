import NIOCore
import Testing
@testable import DataPlane

@Suite("Relay idleness")
struct RelayIdlenessTests {
    @Test func expiresOnlyAfterTheTimeoutWithoutBytes() {
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        var idle = RelayIdleness(timeout: .seconds(350), now: start)
        #expect(!idle.isExpired(at: start + .seconds(349)))
        #expect(idle.isExpired(at: start + .seconds(350)))
        idle.touch(at: start + .seconds(300))
        #expect(!idle.isExpired(at: start + .seconds(600)), "bytes at 300 s keep it open until 650 s")
        #expect(idle.isExpired(at: start + .seconds(650)))
    }

    @Test func snapshotSecondsBecomeATimeout() {
        #expect(RelayIdleness.timeout(seconds: 350) == .seconds(350))
        #expect(RelayIdleness.timeout(seconds: 0) == .seconds(1), "never zero")
    }
}
