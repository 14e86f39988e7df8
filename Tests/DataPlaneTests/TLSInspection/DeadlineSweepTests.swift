import NIOCore
import NIOEmbedded
import Testing
@testable import DataPlane

@Suite("Deadline sweep")
struct DeadlineSweepTests {
    /// A member that records when the sweep found its deadline passed and stays until told otherwise.
    final class Member: DeadlineSwept {
        var deadline: ConnectionDeadline
        var expiredAt: [NIODeadline] = []
        var staysAfterExpiry = false

        init(_ deadline: ConnectionDeadline) {
            self.deadline = deadline
        }

        func checkDeadline(at now: NIODeadline) -> Bool {
            guard deadline.isDue(at: now) else { return true }
            expiredAt.append(now)
            return staysAfterExpiry
        }
    }

    @Test func actsOnALimitWithinOneIntervalAndDropsTheMember() {
        let loop = EmbeddedEventLoop()
        let sweep = DeadlineSweep(eventLoop: loop)
        let start = loop.now
        let member = Member(.handshake(until: start + .milliseconds(1200)))
        let later = Member(.handshake(until: start + .seconds(60)))
        sweep.add(member)
        sweep.add(later)

        loop.advanceTime(by: .milliseconds(1000))
        #expect(member.expiredAt.isEmpty, "checked at 0.5 s and 1 s, before its limit")
        loop.advanceTime(by: .milliseconds(500))
        #expect(member.expiredAt == [start + .milliseconds(1500)], "the next check after 1.2 s")
        #expect(sweep.count == 1, "a member with nothing left to time leaves the sweep")
        loop.advanceTime(by: .seconds(5))
        #expect(member.expiredAt.count == 1, "never checked again")
        #expect(later.expiredAt.isEmpty)
    }

    @Test func stopsWhenEmptyAndStartsAgainForANewMember() {
        let loop = EmbeddedEventLoop()
        let sweep = DeadlineSweep(eventLoop: loop)
        let first = Member(.closing(until: loop.now + .milliseconds(100)))
        sweep.add(first)
        loop.advanceTime(by: .milliseconds(500))
        #expect(first.expiredAt.count == 1)
        #expect(sweep.count == 0)

        let second = Member(.request(until: loop.now + .milliseconds(100)))
        sweep.add(second)
        loop.advanceTime(by: .milliseconds(500))
        #expect(second.expiredAt.count == 1, "a new member is timed again after the sweep went idle")
    }

    @Test func aRemovedMemberIsNotChecked() {
        let loop = EmbeddedEventLoop()
        let sweep = DeadlineSweep(eventLoop: loop)
        let member = Member(.handshake(until: loop.now))
        sweep.add(member)
        sweep.remove(member)
        loop.advanceTime(by: .seconds(2))
        #expect(member.expiredAt.isEmpty)
        #expect(sweep.count == 0)
    }

    @Test func aMemberThatStaysIsCheckedAgain() {
        let loop = EmbeddedEventLoop()
        let sweep = DeadlineSweep(eventLoop: loop)
        let member = Member(.handshake(until: loop.now))
        member.staysAfterExpiry = true
        sweep.add(member)
        loop.advanceTime(by: .seconds(1))
        #expect(member.expiredAt.count == 2)
    }
}

@Suite("Connection deadline")
struct ConnectionDeadlineTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test func fixedLimitsAreDueFromTheirInstant() {
        for deadline in [
            ConnectionDeadline.handshake(until: start + .seconds(10)), .request(until: start + .seconds(10)),
            .closing(until: start + .seconds(10)),
        ] {
            #expect(!deadline.isDue(at: start + .milliseconds(9999)))
            #expect(deadline.isDue(at: start + .seconds(10)))
        }
        #expect(!ConnectionDeadline.none.isDue(at: start + .hours(1000)))
    }

    @Test func bytesRestartOnlyTheIdleLimit() {
        var idle = ConnectionDeadline.idle(RelayIdleness(timeout: .seconds(30), now: start))
        idle.touch(at: start + .seconds(20))
        #expect(!idle.isDue(at: start + .seconds(49)))
        #expect(idle.isDue(at: start + .seconds(50)))

        var handshake = ConnectionDeadline.handshake(until: start + .seconds(10))
        handshake.touch(at: start + .seconds(9))
        #expect(handshake == .handshake(until: start + .seconds(10)), "a handshake limit is not extended by bytes")
    }
}
