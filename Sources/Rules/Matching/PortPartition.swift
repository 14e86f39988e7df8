/// The elementary intervals into which a collection of port sets cuts 0…65535: two ports of one interval
/// belong to exactly the same sets, so whatever is filed by port can be filed by interval, and a packet's
/// port finds its interval with one binary search.
struct PortPartition: Sendable {
    /// Starts of the intervals, ascending; `starts[0] == 0`. Interval `i` ends where `i + 1` starts.
    let starts: [UInt16]

    /// The partition cut by every range of `sets` (one interval, 0…65535, when there are none).
    init(_ sets: [IntervalSet<UInt16>]) {
        var boundaries: Set<Int> = [0]
        for set in sets {
            for range in set.ranges {
                boundaries.insert(Int(range.lowerBound))
                boundaries.insert(Int(range.upperBound) + 1)
            }
        }
        starts = boundaries.filter { $0 <= Int(UInt16.max) }.sorted().map { UInt16($0) }
    }

    /// The number of intervals.
    var count: Int { starts.count }

    /// The interval holding `port`: the last one starting at or before it.
    @inline(__always)
    func interval(of port: UInt16) -> Int {
        countAtMost(starts, port) - 1
    }

    /// The intervals that make up `set` (every set the partition was cut by is a union of intervals).
    func intervals(of set: IntervalSet<UInt16>) -> [ClosedRange<Int>] {
        set.ranges.map { interval(of: $0.lowerBound)...interval(of: $0.upperBound) }
    }
}
