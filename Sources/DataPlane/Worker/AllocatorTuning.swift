import CMalloc

/// glibc's allocator settings for a worker.
///
/// By default glibc gives freed memory at the top of a heap back to the kernel once more than 128 KiB
/// is free there, and serves blocks of 128 KiB and more with their own `mmap`. A worker's memory use
/// rises and falls with every connection it intercepts (handshake buffers, records, pipelines), so
/// with the defaults the same pages go back and forth: each comes back as a page fault and a page
/// cleared by the kernel, about a tenth of the engine's CPU per new connection in the TLS benchmark.
/// The worker keeps up to ``trimThreshold`` of free memory per heap instead, and `mmap`s only blocks
/// of ``mmapThreshold`` and more; what it holds is bounded by its peak use, as with any allocator that
/// retains memory.
public enum AllocatorTuning {
    /// Free memory a heap keeps before returning its top to the kernel.
    public static let trimThreshold: Int32 = 64 << 20
    /// Extra memory a heap takes each time it grows, so that it grows less often.
    public static let topPad: Int32 = 16 << 20
    /// The size from which a block gets its own mapping.
    public static let mmapThreshold: Int32 = 4 << 20

    /// Applies the settings to this process; the names of any glibc refused.
    @discardableResult
    public static func apply() -> [String] {
        var refused: [String] = []
        if mallopt(M_TRIM_THRESHOLD, trimThreshold) != 1 { refused.append("M_TRIM_THRESHOLD") }
        if mallopt(M_TOP_PAD, topPad) != 1 { refused.append("M_TOP_PAD") }
        if mallopt(M_MMAP_THRESHOLD, mmapThreshold) != 1 { refused.append("M_MMAP_THRESHOLD") }
        return refused
    }
}
