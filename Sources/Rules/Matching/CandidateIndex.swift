/// The rules of one protocol class that could match a packet, found by destination port: rules whose
/// ports are few are filed in buckets of an elementary-interval partition of 0…65535 (one binary search
/// per packet), the others are always candidates. Rule numbers ascend within every list, so a merge
/// of the two lists visits candidates in evaluation order.
struct CandidateIndex: Sendable {
    /// Rules that are candidates for every port, ascending.
    let always: [Int32]
    /// The intervals the indexed rules' ports cut 0…65535 into.
    let partition: PortPartition
    /// `members[offsets[i]..<offsets[i + 1]]` are the rules of interval `i`, ascending.
    let offsets: [Int32]
    let members: [Int32]

    /// `entries` in ascending rule number: each rule with its indexed ports, or nil for always.
    init(_ entries: [(rule: Int32, ports: IntervalSet<UInt16>?)]) {
        always = entries.filter { $0.ports == nil }.map(\.rule)
        let partition = PortPartition(entries.compactMap(\.ports))
        var buckets = [[Int32]](repeating: [], count: partition.count)
        for entry in entries {
            guard let ports = entry.ports else { continue }
            for intervals in partition.intervals(of: ports) {
                for bucket in intervals { buckets[bucket].append(entry.rule) }
            }
        }
        self.partition = partition
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
        let bucket = partition.interval(of: port)
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
