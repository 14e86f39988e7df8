/// Out-of-order bytes held by a `StreamReassembler`, at a stream offset (bytes from the start of
/// the direction's stream, so 64-bit and free of sequence-number wraparound).
struct StreamSegment: Sendable {
    /// The stream offset of the first byte.
    var start: Int64
    /// The bytes, never empty while queued.
    var bytes: [UInt8]

    /// The stream offset just past the last byte.
    var end: Int64 { start + Int64(bytes.count) }
}

extension UnsafeRawBufferPointer {
    /// The bytes from `lower` to `upper`, as a buffer whose indices start at 0 (so that `Array(_:)` and
    /// `append(contentsOf:)` copy it with one `memcpy`, as they do not for a `Slice`).
    @inline(__always)
    func bytes(from lower: Int, to upper: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: self[lower..<upper])
    }

    /// Whether the first `count` bytes of `self` from `offset` equal those of `other` from
    /// `otherOffset`, compared eight bytes at a time.
    func bytesEqual(at offset: Int, _ other: UnsafeRawBufferPointer, at otherOffset: Int, count: Int) -> Bool {
        precondition(offset >= 0 && otherOffset >= 0 && offset + count <= self.count && otherOffset + count <= other.count)
        guard count > 0, let a = baseAddress, let b = other.baseAddress else { return true }
        let left = a + offset
        let right = b + otherOffset
        var index = 0
        while index + 8 <= count {
            if left.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                != right.loadUnaligned(fromByteOffset: index, as: UInt64.self) {
                return false
            }
            index += 8
        }
        while index < count {
            if left.load(fromByteOffset: index, as: UInt8.self) != right.load(fromByteOffset: index, as: UInt8.self) {
                return false
            }
            index += 1
        }
        return true
    }
}
