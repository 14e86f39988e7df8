import Shared

/// A set of unsigned integers held as sorted, disjoint, non-adjacent closed ranges: the exact form of
/// an address or port expression once lists and negations are resolved.
struct IntervalSet<Bound: FixedWidthInteger & UnsignedInteger & Sendable>: Hashable, Sendable {
    /// Sorted by lower bound; no two ranges overlap or touch.
    private(set) var ranges: [ClosedRange<Bound>]

    /// The set of the given ranges, in any order, overlapping or not.
    init(normalizing input: [ClosedRange<Bound>]) {
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<Bound>] = []
        merged.reserveCapacity(sorted.count)
        for range in sorted {
            if let last = merged.last,
               range.lowerBound <= last.upperBound || (last.upperBound != .max && range.lowerBound == last.upperBound + 1) {
                merged[merged.count - 1] = last.lowerBound...Swift.max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        ranges = merged
    }

    static var empty: IntervalSet { IntervalSet(normalizing: []) }
    static var full: IntervalSet { IntervalSet(normalizing: [Bound.min...Bound.max]) }

    var isEmpty: Bool { ranges.isEmpty }
    var isFull: Bool { ranges.count == 1 && ranges[0] == Bound.min...Bound.max }

    func union(_ other: IntervalSet) -> IntervalSet {
        IntervalSet(normalizing: ranges + other.ranges)
    }

    /// Every value not in the set.
    var complement: IntervalSet {
        var gaps: [ClosedRange<Bound>] = []
        var next = Bound.min
        for range in ranges {
            if range.lowerBound > next { gaps.append(next...(range.lowerBound - 1)) }
            if range.upperBound == .max { return IntervalSet(sortedDisjoint: gaps) }
            next = range.upperBound + 1
        }
        gaps.append(next...Bound.max)
        return IntervalSet(sortedDisjoint: gaps)
    }

    func intersection(_ other: IntervalSet) -> IntervalSet {
        var result: [ClosedRange<Bound>] = []
        var left = 0
        var right = 0
        while left < ranges.count, right < other.ranges.count {
            let a = ranges[left]
            let b = other.ranges[right]
            let low = Swift.max(a.lowerBound, b.lowerBound)
            let high = Swift.min(a.upperBound, b.upperBound)
            if low <= high { result.append(low...high) }
            if a.upperBound < b.upperBound { left += 1 } else { right += 1 }
        }
        return IntervalSet(sortedDisjoint: result)
    }

    func subtracting(_ other: IntervalSet) -> IntervalSet {
        intersection(other.complement)
    }

    /// Binary search: whether `value` lies in one of the ranges.
    func contains(_ value: Bound) -> Bool {
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = ranges[middle]
            if value < range.lowerBound {
                high = middle - 1
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }

    private init(sortedDisjoint: [ClosedRange<Bound>]) {
        ranges = sortedDisjoint
    }
}

/// The resolved form of an address expression: the IPv4 and IPv6 addresses it matches.
struct AddressSet: Hashable, Sendable {
    var v4: IntervalSet<UInt32>
    var v6: IntervalSet<UInt128>

    static let empty = AddressSet(v4: .empty, v6: .empty)
    static let all = AddressSet(v4: .full, v6: .full)

    var isEmpty: Bool { v4.isEmpty && v6.isEmpty }

    init(v4: IntervalSet<UInt32>, v6: IntervalSet<UInt128>) {
        self.v4 = v4
        self.v6 = v6
    }

    /// The addresses of one network.
    init(_ cidr: CIDR) {
        switch cidr.network.family {
        case .v4:
            let base = UInt32(truncatingIfNeeded: cidr.network.low)
            let hostMask: UInt32 = cidr.prefixLength == 0 ? .max : (UInt32(1) << UInt32(32 - cidr.prefixLength)) &- 1
            self.init(v4: IntervalSet(normalizing: [base...(base | hostMask)]), v6: .empty)
        case .v6:
            let base = UInt128(cidr.network.high) << 64 | UInt128(cidr.network.low)
            let hostMask: UInt128 = cidr.prefixLength == 0 ? .max : (UInt128(1) << UInt128(128 - cidr.prefixLength)) &- 1
            self.init(v4: .empty, v6: IntervalSet(normalizing: [base...(base | hostMask)]))
        }
    }

    func union(_ other: AddressSet) -> AddressSet {
        AddressSet(v4: v4.union(other.v4), v6: v6.union(other.v6))
    }

    func subtracting(_ other: AddressSet) -> AddressSet {
        AddressSet(v4: v4.subtracting(other.v4), v6: v6.subtracting(other.v6))
    }
}

extension IPAddress {
    /// The address as a 128-bit integer (IPv6) or its 32 bits (IPv4), for interval lookups.
    @inline(__always)
    var v6Value: UInt128 { UInt128(high) << 64 | UInt128(low) }

    @inline(__always)
    var v4Value: UInt32 { UInt32(truncatingIfNeeded: low) }
}
