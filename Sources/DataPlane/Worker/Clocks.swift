import CoreFoundation
import Glibc

/// The two clocks of the worker: monotonic for ageing and intervals, wall for event timestamps.
public enum Clocks {
    /// Seconds on the monotonic clock.
    public static func monotonic() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Seconds since 1970 (UTC).
    public static func wall() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
