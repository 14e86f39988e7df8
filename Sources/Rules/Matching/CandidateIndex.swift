/// The rules of one protocol class that could match a packet, found by destination port: rules whose
/// ports are few are filed in buckets of an elementary-interval partition of 0…65535 (one binary search
/// per packet), the others are always candidates. Rule numbers ascend within every list, so a merge
/// of the two lists visits candidates in evaluation order.
struct CandidateIndex: Sendable {
    /// Rules that are candidates for every port, ascending.
    let always: [Int32]
    /// Starts of the elementary intervals, ascending; `starts[0] == 0` unless there are none.
    let starts: [UInt16]
    /// `members[offsets[i]..<offsets[i + 1]]` are the rules of interval `i`, ascending.
    let offsets: [Int32]
    let members: [Int32]

    /// `entries` in ascending rule number: each rule with its indexed ports, or nil for always.
    init(_ entries: [(rule: Int32, ports: IntervalSet<UInt16>?)]) {
        var always: [Int32] = []
        var boundaries: Set<Int> = []
        for entry in entries {
            guard let ports = entry.ports else {
                always.append(entry.rule)
                continue
            }
            for range in ports.ranges {
                boundaries.insert(Int(range.lowerBound))
                boundaries.insert(Int(range.upperBound) + 1)
            }
        }
        self.always = always
        guard !boundaries.isEmpty else {
            starts = []
            offsets = [0]
            members = []
            return
        }
        boundaries.insert(0)
        let starts = boundaries.filter { $0 <= Int(UInt16.max) }.sorted()
        var buckets = [[Int32]](repeating: [], count: starts.count)
        func interval(startingAt value: Int) -> Int {
            var low = 0
            var high = starts.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if starts[middle] <= value { low = middle } else { high = middle - 1 }
            }
            return low
        }
        for entry in entries {
            guard let ports = entry.ports else { continue }
            for range in ports.ranges {
                let first = interval(startingAt: Int(range.lowerBound))
                let last = interval(startingAt: Int(range.upperBound))
                for bucket in first...last { buckets[bucket].append(entry.rule) }
            }
        }
        self.starts = starts.map { UInt16($0) }
        var offsets: [Int32] = [0]
        var members: [Int32] = []
        for bucket in buckets {
            members.append(contentsOf: bucket)
            offsets.append(Int32(members.count))
        }
        self.offsets = offsets
        self.members = members
    }

    /// The candidates for a packet to `port`, in ascending rule number.
    @inline(__always)
    func candidates(port: UInt16) -> CandidateCursor {
        guard !starts.isEmpty else {
            return CandidateCursor(always: always, members: members, member: 0, memberEnd: 0)
        }
        // The last interval starting at or before `port`.
        var low = 0
        var count = starts.count
        while count > 0 {
            let half = count / 2
            if starts[low + half] <= port {
                low += half + 1
                count -= half + 1
            } else {
                count = half
            }
        }
        let bucket = low - 1
        return CandidateCursor(
            always: always, members: members, member: Int(offsets[bucket]), memberEnd: Int(offsets[bucket + 1])
        )
    }
}

/// Merges the always-candidates with one bucket, ascending; no allocation.
struct CandidateCursor {
    let always: [Int32]
    let members: [Int32]
    var alwaysPosition = 0
    var member: Int
    let memberEnd: Int

    init(always: [Int32], members: [Int32], member: Int, memberEnd: Int) {
        self.always = always
        self.members = members
        self.member = member
        self.memberEnd = memberEnd
    }

    @inline(__always)
    mutating func next() -> Int? {
        let hasAlways = alwaysPosition < always.count
        let hasMember = member < memberEnd
        if hasAlways, !hasMember || always[alwaysPosition] < members[member] {
            alwaysPosition += 1
            return Int(always[alwaysPosition - 1])
        }
        if hasMember {
            member += 1
            return Int(members[member - 1])
        }
        return nil
    }
}
