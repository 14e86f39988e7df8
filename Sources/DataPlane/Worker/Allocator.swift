import CJemalloc

/// The allocator under the data plane: jemalloc, which the data plane links in place of glibc's
/// `malloc` (Debian's `libjemalloc-dev`, through the `CJemalloc` module).
///
/// The TLS engine's hot allocations are BoringSSL's record buffers: it takes a 16 KiB buffer for
/// every TLS record it reads or writes and frees it once the record is through. glibc serves blocks
/// of that size from sorted bins shared by the whole heap, and after a burst of connections those
/// bins hold thousands of free chunks of other sizes, which each such `malloc` walks: about 6% of the
/// engine's CPU in bulk transfer went there. jemalloc serves them from a per-thread cache of its
/// size class. In the TLS benchmark the worker spent about 10% less CPU per new intercepted
/// connection and per MB relayed than on glibc's allocator tuned with `mallopt`.
public enum Allocator {
    /// jemalloc's version (`5.3.0-0-g…`), read through its control interface.
    public static var version: String? {
        var pointer: UnsafePointer<CChar>?
        var size = MemoryLayout<UnsafePointer<CChar>?>.size
        guard mallctl("version", &pointer, &size, nil, 0) == 0, let pointer else { return nil }
        return String(cString: pointer)
    }

    /// Whether jemalloc, not glibc, serves this process's `malloc`: a block taken with `malloc` shows
    /// in jemalloc's count of the bytes this thread allocated. (Linking jemalloc is not enough on its
    /// own: a library loaded ahead of it in symbol lookup order would keep glibc's `malloc`.)
    public static var servesMalloc: Bool {
        guard let before = allocatedByThisThread else { return false }
        let size = 1 << 16
        guard let block = malloc(size) else { return false }
        defer { free(block) }
        guard let after = allocatedByThisThread else { return false }
        return after - before >= UInt64(size)
    }

    /// The line the worker logs at start: which allocator it runs on.
    public static var summary: String {
        guard let version, servesMalloc else {
            return "allocator: glibc malloc (jemalloc is linked but does not serve malloc; expect more CPU per TLS record)"
        }
        return "allocator: jemalloc \(version)"
    }

    private static var allocatedByThisThread: UInt64? {
        var value: UInt64 = 0
        var size = MemoryLayout<UInt64>.size
        return mallctl("thread.allocated", &value, &size, nil, 0) == 0 ? value : nil
    }
}
