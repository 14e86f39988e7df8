import NIOCore

/// Something whose time limit a ``DeadlineSweep`` checks.
protocol DeadlineSwept: AnyObject {
    /// Acts on a limit passed at `now`; returns false once there is nothing left to time, which takes
    /// the member out of the sweep.
    func checkDeadline(at now: NIODeadline) -> Bool
}

/// The time limits of the connections on one event loop, checked by one repeating task every
/// ``interval`` rather than by a timer per connection: scheduling and cancelling a timer takes the
/// loop's lock and a heap insertion and removal each time, several times per connection, while a
/// member here costs a dictionary entry. Limits are kept to within one interval.
///
/// The task runs only while there are members. Every method must be called on `eventLoop`, which is
/// what makes the unchecked `Sendable` sound.
final class DeadlineSweep: @unchecked Sendable {
    /// How often the members' limits are checked.
    static let interval = TimeAmount.milliseconds(500)

    private let eventLoop: any EventLoop
    private var members: [ObjectIdentifier: any DeadlineSwept] = [:]
    private var task: RepeatedTask?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// How many members are timed.
    var count: Int { members.count }

    /// Times `member` until it reports nothing left or is removed.
    func add(_ member: any DeadlineSwept) {
        eventLoop.assertInEventLoop()
        members[ObjectIdentifier(member)] = member
        guard task == nil else { return }
        task = eventLoop.scheduleRepeatedTask(initialDelay: Self.interval, delay: Self.interval) { [self] _ in
            sweep(now: eventLoop.now)
        }
    }

    /// Stops timing `member`.
    func remove(_ member: any DeadlineSwept) {
        eventLoop.assertInEventLoop()
        members[ObjectIdentifier(member)] = nil
    }

    /// Checks every member's limit at `now`; stops the task once no member is left.
    func sweep(now: NIODeadline) {
        eventLoop.assertInEventLoop()
        // A member acting on its limit may close connections and so change the membership: iterate a copy.
        for (id, member) in Array(members) where !member.checkDeadline(at: now) {
            members[id] = nil
        }
        if members.isEmpty {
            task?.cancel()
            task = nil
        }
    }
}
