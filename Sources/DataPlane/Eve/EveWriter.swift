public import Shared
import Glibc
import Synchronization

/// Why the EVE file could not be opened.
public struct EveWriterError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var errno: Int32

    public var description: String { "cannot open EVE file \(path): \(String(cString: strerror(errno)))" }
}

/// Appends EVE JSON lines to a file shared by several worker processes.
///
/// The file is opened `O_APPEND | O_CREAT` (mode 0640). Lines are buffered between flushes and each
/// flush writes the whole buffer, complete lines only, in one `write(2)`: an append to a regular file is
/// atomic with respect to other appenders, so lines of different processes never interleave mid-line.
/// The packet loop calls ``flushIfDue(now:)`` after each batch and when idle, which bounds the delay to
/// ``flushInterval``. Thread-safe (a lock per call, never per packet).
public final class EveWriter: Sendable {
    /// The longest a line waits in the buffer, in seconds.
    public let flushInterval: Double
    /// The buffer size that triggers a flush regardless of time.
    public let flushThreshold: Int
    public let path: String

    private struct State {
        var descriptor: Int32
        /// Complete lines, each ending in a newline.
        var buffer: [UInt8] = []
        var lastFlush: Double = 0
        var failedWrites: UInt64 = 0
    }

    private let state: Mutex<State>

    /// Opens (creating if needed) the EVE file at `path`.
    public init(path: String, flushInterval: Double = 0.2, flushThreshold: Int = 256 * 1024) throws(EveWriterError) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw EveWriterError(path: path, errno: errno) }
        self.path = path
        self.flushInterval = flushInterval
        self.flushThreshold = flushThreshold
        state = Mutex(State(descriptor: descriptor))
    }

    deinit {
        state.withLock { state in
            Self.writeOut(&state)
            if state.descriptor >= 0 { Glibc.close(state.descriptor) }
            state.descriptor = -1
        }
    }

    /// The JSON text of `event` (one line, no newline).
    public static func line(for event: EveEvent) -> String {
        EveJSON.line(event)
    }

    /// Buffers `events`.
    public func append(_ events: [EveEvent]) {
        guard !events.isEmpty else { return }
        var lines: [UInt8] = []
        for event in events {
            lines += EveJSON.bytes(event)
            lines.append(0x0A)
        }
        state.withLock { $0.buffer += lines }
    }

    /// Writes the buffer out when ``flushInterval`` passed since the last flush (monotonic `now`,
    /// seconds) or when it grew past ``flushThreshold``.
    public func flushIfDue(now: Double) {
        state.withLock { state in
            guard !state.buffer.isEmpty else {
                state.lastFlush = now
                return
            }
            guard now - state.lastFlush >= flushInterval || state.buffer.count >= flushThreshold else { return }
            Self.writeOut(&state)
            state.lastFlush = now
        }
    }

    /// Writes the buffer out now.
    public func flush() {
        state.withLock { Self.writeOut(&$0) }
    }

    /// Lines that could not be written (disk full, …).
    public var failedWrites: UInt64 { state.withLock { $0.failedWrites } }

    /// Flushes and closes the file; later appends are dropped.
    public func close() {
        state.withLock { state in
            Self.writeOut(&state)
            if state.descriptor >= 0 { Glibc.close(state.descriptor) }
            state.descriptor = -1
        }
    }

    private static func writeOut(_ state: inout State) {
        defer { state.buffer.removeAll(keepingCapacity: state.buffer.count <= 4 << 20) }
        guard state.descriptor >= 0, !state.buffer.isEmpty else { return }
        let descriptor = state.descriptor
        let linesLost = state.buffer.withUnsafeBytes { buffer -> Int in
            var rest = buffer[...]
            while !rest.isEmpty {
                let result = write(descriptor, buffer.baseAddress! + rest.startIndex, rest.count)
                if result < 0, errno == EINTR { continue }
                // A short write (a signal, a full disk) continues with the rest; a failed one gives up.
                guard result > 0 else { break }
                rest = rest.dropFirst(result)
            }
            return rest.count { $0 == 0x0A }
        }
        state.failedWrites += UInt64(linesLost)
    }
}
