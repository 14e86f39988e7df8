@testable import Rules
import Testing

@Suite("Port partition")
struct PortPartitionTests {
    static let sets = [
        IntervalSet<UInt16>(normalizing: [80...80]), IntervalSet(normalizing: [1024...65535]),
        IntervalSet(normalizing: [21...23, 8080...8080]), IntervalSet(normalizing: [0...0]),
    ]

    @Test func cutsAtEveryRangeBoundary() {
        #expect(PortPartition(Self.sets).starts == [0, 1, 21, 24, 80, 81, 1024, 8080, 8081])
    }

    @Test func portsOfOneIntervalBelongToTheSameSets() {
        let partition = PortPartition(Self.sets)
        func membership(_ port: UInt16) -> [Bool] { Self.sets.map { $0.contains(port) } }
        var previous: (interval: Int, membership: [Bool])?
        for port in UInt16.min...UInt16.max {
            let interval = partition.interval(of: port)
            #expect(partition.starts[interval] <= port)
            if let previous, previous.interval == interval { #expect(previous.membership == membership(port)) }
            if previous?.interval != interval { #expect(previous == nil || interval == previous!.interval + 1) }
            previous = (interval, membership(port))
        }
        #expect(previous?.interval == partition.count - 1)
    }

    @Test func intervalsOfASetCoverExactlyIt() {
        let partition = PortPartition(Self.sets)
        for set in Self.sets {
            let covered = partition.intervals(of: set).flatMap { Array($0) }
            for interval in 0..<partition.count {
                #expect(covered.contains(interval) == set.contains(partition.starts[interval]))
            }
        }
    }

    @Test func noSetsIsOneInterval() {
        let partition = PortPartition([])
        #expect(partition.count == 1)
        #expect(partition.interval(of: 0) == 0 && partition.interval(of: 65535) == 0)
    }
}
