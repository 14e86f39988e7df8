#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds a `content` pattern in a window of a buffer, exactly or ignoring ASCII case (`nocase`).
///
/// Built once per content when a rule is compiled; `find` allocates nothing. Short exact patterns use
/// `memchr` on their first byte (vectorised by libc) and compare the rest; longer or case-insensitive
/// ones use Boyer–Moore–Horspool with a 256-entry shift table over ASCII-lowercased bytes.
struct ContentSearcher: Sendable {
    /// The pattern, ASCII-lowercased when `nocase`.
    let pattern: [UInt8]
    /// Whether ASCII letters match in either case.
    let nocase: Bool
    /// Horspool shifts by (lowercased) byte, capped at 255; empty when `memchr` is used.
    private let shifts: [UInt8]

    /// Patterns shorter than this, matched exactly, are found with `memchr`.
    private static let horspoolMinimum = 4

    init(pattern: [UInt8], nocase: Bool) {
        precondition(!pattern.isEmpty, "a content pattern is never empty")
        // A pattern without letters matches the same bytes with or without nocase.
        let folds = nocase && pattern.contains { ASCIICase.lower[Int($0)] != $0 || ASCIICase.upper[Int($0)] != $0 }
        self.nocase = folds
        self.pattern = folds ? pattern.map { ASCIICase.lower[Int($0)] } : pattern
        if folds || pattern.count >= Self.horspoolMinimum {
            var shifts = [UInt8](repeating: UInt8(min(pattern.count, 255)), count: 256)
            for (index, byte) in self.pattern.dropLast().enumerated() {
                shifts[Int(byte)] = UInt8(min(pattern.count - 1 - index, 255))
            }
            self.shifts = shifts
        } else {
            self.shifts = []
        }
    }

    /// The length of the pattern.
    var count: Int { pattern.count }

    /// The start of the first occurrence that lies entirely inside `from..<to` of `buffer`.
    func find(in buffer: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        let from = max(from, 0)
        let to = min(to, buffer.count)
        let length = pattern.count
        guard to - from >= length, let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        return pattern.withUnsafeBufferPointer { needle in
            if shifts.isEmpty {
                return memchrSearch(base, from: from, to: to, needle: needle)
            }
            return shifts.withUnsafeBufferPointer { shifts in
                nocase
                    ? horspoolFolded(base, from: from, to: to, needle: needle, shifts: shifts)
                    : horspool(base, from: from, to: to, needle: needle, shifts: shifts)
            }
        }
    }

    /// Whether the pattern occurs at exactly `start` of `buffer`.
    func occurs(in buffer: UnsafeRawBufferPointer, at start: Int) -> Bool {
        guard start >= 0, start + pattern.count <= buffer.count,
              let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
        else { return false }
        return pattern.withUnsafeBufferPointer { needle in
            nocase ? equalFolded(base + start, needle, count: needle.count) : memcmp(base + start, needle.baseAddress!, needle.count) == 0
        }
    }

    // MARK: - Algorithms

    private func memchrSearch(_ base: UnsafePointer<UInt8>, from: Int, to: Int, needle: UnsafeBufferPointer<UInt8>) -> Int? {
        let length = needle.count
        let first = Int32(needle[0])
        let lastStart = to - length
        var position = from
        while position <= lastStart {
            guard let hit = memchr(base + position, first, lastStart - position + 1) else { return nil }
            let start = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            if length == 1 || memcmp(base + start + 1, needle.baseAddress! + 1, length - 1) == 0 { return start }
            position = start + 1
        }
        return nil
    }

    private func horspool(
        _ base: UnsafePointer<UInt8>, from: Int, to: Int, needle: UnsafeBufferPointer<UInt8>, shifts: UnsafeBufferPointer<UInt8>
    ) -> Int? {
        let length = needle.count
        let lastIndex = length - 1
        let lastByte = needle[lastIndex]
        var position = from
        while position <= to - length {
            let byte = base[position + lastIndex]
            if byte == lastByte, memcmp(base + position, needle.baseAddress!, lastIndex) == 0 { return position }
            position += Int(shifts[Int(byte)])
        }
        return nil
    }

    private func horspoolFolded(
        _ base: UnsafePointer<UInt8>, from: Int, to: Int, needle: UnsafeBufferPointer<UInt8>, shifts: UnsafeBufferPointer<UInt8>
    ) -> Int? {
        ASCIICase.lower.withUnsafeBufferPointer { lower in
            let length = needle.count
            let lastIndex = length - 1
            let lastByte = needle[lastIndex]
            var position = from
            while position <= to - length {
                let byte = lower[Int(base[position + lastIndex])]
                if byte == lastByte {
                    var index = 0
                    while index < lastIndex, lower[Int(base[position + index])] == needle[index] { index += 1 }
                    if index == lastIndex { return position }
                }
                position += Int(shifts[Int(byte)])
            }
            return nil
        }
    }

    private func equalFolded(_ bytes: UnsafePointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>, count: Int) -> Bool {
        ASCIICase.lower.withUnsafeBufferPointer { lower in
            for index in 0..<count where lower[Int(bytes[index])] != needle[index] { return false }
            return true
        }
    }
}

/// ASCII case tables (bytes outside `A`–`Z` / `a`–`z` map to themselves).
enum ASCIICase {
    static let lower: [UInt8] = (0...255).map { (value: Int) -> UInt8 in
        let byte = UInt8(value)
        return byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }
    static let upper: [UInt8] = (0...255).map { (value: Int) -> UInt8 in
        let byte = UInt8(value)
        return byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
    }
}
