import Glibc

/// Where the worker's operational log goes: one line per event (start, connected, applied,
/// nack, errors), to standard error by default.
public struct WorkerLog: Sendable {
    private let sink: @Sendable (String) -> Void

    /// A log that hands each line to `sink`.
    public init(sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    /// Lines to standard error, prefixed with the UTC time and `prefix`.
    public static func standardError(prefix: String) -> WorkerLog {
        WorkerLog { message in
            let line = "\(EveFormat.timestamp(Clocks.wall())) \(prefix): \(message)\n"
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 {
                        if written < 0, errno == EINTR { continue }
                        return
                    }
                    offset += written
                }
            }
        }
    }

    /// Discards everything.
    public static let discard = WorkerLog { _ in }

    /// Logs `message`.
    public func callAsFunction(_ message: String) {
        sink(message)
    }
}
