import Foundation
import Glibc
import Synchronization

/// What a finished command printed and how it exited.
struct ProcessOutput: Sendable {
    var commandLine: String
    /// The exit status; 128 + N when killed by signal N (as a shell reports it).
    var status: Int32
    var stdout: String
    var stderr: String
    var duration: Duration
    /// Whether the command outlived its timeout and was killed.
    var timedOut: Bool

    /// One paragraph for a failure message.
    var summary: String {
        var text = "`\(commandLine)` exited \(status)\(timedOut ? " (timed out, killed)" : "") after \(duration)"
        let out = stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let err = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        if !out.isEmpty { text += "\nstdout:\n" + String(out.suffix(4000)) }
        if !err.isEmpty { text += "\nstderr:\n" + String(err.suffix(4000)) }
        return text
    }
}

/// A process the harness started, in a process group of its own, reaped here with `waitpid`.
///
/// Not Foundation's `Process`: on Linux it learns that a child exited from EOF on a socket the
/// child inherits, so a daemon the child leaves behind (`python3 -m http.server … &` in the
/// README's setup script) keeps it "running" forever, and it blocks signals in what it spawns in
/// some configurations. Here every descriptor is closed on exec, signals are reset, and exit is
/// polled.
final class ChildProcess: Sendable {
    let pid: pid_t
    let commandLine: String
    private let waitStatus = Mutex<Int32?>(nil)

    fileprivate init(pid: pid_t, commandLine: String) {
        self.pid = pid
        self.commandLine = commandLine
    }

    /// Whether it still runs (reaps it when it has exited).
    var isRunning: Bool { poll() == nil }

    /// The shell-style exit status once it exited: the code, or 128 + the signal.
    var exitStatus: Int32? {
        poll().map { status in
            (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        }
    }

    /// The raw wait status once it exited, reaping it if it just did.
    private func poll() -> Int32? {
        waitStatus.withLock { saved in
            if let saved { return saved }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                saved = status
            } else if result < 0, errno == ECHILD {
                saved = 0x7F00  // not ours to reap any more: count it as gone
            }
            return saved
        }
    }

    /// Waits at most `timeout` for it to exit; whether it did.
    func wait(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return !isRunning
    }

    /// SIGTERM to its process group (it and whatever it started), SIGKILL after `grace`.
    func stop(grace: Duration = .seconds(5)) async {
        guard isRunning else { return }
        kill(-pid, SIGTERM)
        if await wait(timeout: grace) { return }
        kill(-pid, SIGKILL)
        _ = await wait(timeout: .seconds(3))
    }
}

/// Runs commands for the tests, every one bounded in time, output to files (never pipes).
enum Subprocess {
    /// Runs `arguments` (a name is looked up on `PATH` and the sbin directories) and waits for it;
    /// after `timeout` its process group is killed.
    static func run(
        _ arguments: [String], timeout: Duration = .seconds(60), environment: [String: String]? = nil,
        currentDirectory: String? = nil
    ) async throws -> ProcessOutput {
        let io = try OutputFiles()
        defer { io.remove() }
        let start = ContinuousClock.now
        let child = try spawn(arguments, stdoutPath: io.stdoutPath, stderrPath: io.stderrPath, environment: environment, currentDirectory: currentDirectory)
        let finished = await child.wait(timeout: timeout)
        if !finished {
            await child.stop(grace: .seconds(2))
        }
        return io.output(commandLine: child.commandLine, status: child.exitStatus ?? -1, duration: ContinuousClock.now - start, timedOut: !finished)
    }

    /// ``run(_:timeout:environment:currentDirectory:)`` for places that cannot `await` (static
    /// initializers).
    static func runBlocking(_ arguments: [String], timeout: Duration) -> ProcessOutput {
        let start = ContinuousClock.now
        do {
            let io = try OutputFiles()
            defer { io.remove() }
            let child = try spawn(arguments, stdoutPath: io.stdoutPath, stderrPath: io.stderrPath, environment: nil, currentDirectory: nil)
            let deadline = start + timeout
            while child.isRunning, ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
            let timedOut = child.isRunning
            if timedOut {
                kill(-child.pid, SIGKILL)
                while child.isRunning, ContinuousClock.now < deadline + .seconds(3) {
                    Thread.sleep(forTimeInterval: 0.01)
                }
            }
            return io.output(commandLine: child.commandLine, status: child.exitStatus ?? -1, duration: ContinuousClock.now - start, timedOut: timedOut)
        } catch {
            return ProcessOutput(commandLine: quote(arguments), status: 127, stdout: "", stderr: "\(error)", duration: ContinuousClock.now - start, timedOut: false)
        }
    }

    /// Starts `arguments` in the background, stdout and stderr appended to `logPath`; stop it
    /// with ``ChildProcess/stop(grace:)``.
    static func spawn(
        _ arguments: [String], logPath: String, environment: [String: String]? = nil, currentDirectory: String? = nil
    ) throws -> ChildProcess {
        try spawn(arguments, stdoutPath: logPath, stderrPath: nil, environment: environment, currentDirectory: currentDirectory)
    }

    /// `posix_spawn` in a new process group, signals reset, stdin from /dev/null, stdout to
    /// `stdoutPath`, stderr to `stderrPath` (or with stdout when `nil`), no other descriptor.
    static func spawn(
        _ arguments: [String], stdoutPath: String, stderrPath: String?, environment: [String: String]?, currentDirectory: String?
    ) throws -> ChildProcess {
        guard let first = arguments.first, let path = executable(first) else {
            throw E2EFailure("command not found: \(arguments.first ?? "(none)")")
        }
        var argv = [path] + arguments.dropFirst()
        if let currentDirectory {
            argv = ["/usr/bin/env", "-C", currentDirectory] + argv
        }
        closeOnExecAllDescriptors()

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if let stderrPath {
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let cEnvironment: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let error = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        guard error == 0 else {
            throw E2EFailure("cannot start \(quote(arguments)): \(String(cString: strerror(error)))")
        }
        return ChildProcess(pid: pid, commandLine: quote(arguments))
    }

    /// SIGTERM, then SIGKILL after `grace`, for a process that is not our child (a worker the lab
    /// started); returns whether it is gone.
    @discardableResult
    static func stop(pid: Int32, grace: Duration = .seconds(5)) async -> Bool {
        guard isAlive(pid) else { return true }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while isAlive(pid), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if isAlive(pid) {
            kill(pid, SIGKILL)
            let killDeadline = ContinuousClock.now + .seconds(2)
            while isAlive(pid), ContinuousClock.now < killDeadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        return !isAlive(pid)
    }

    /// Whether `pid` runs (a zombie, dead but not yet reaped by its parent, does not).
    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 1, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].drop(while: { $0 == " " }).first
        return state != "Z" && state != "X"
    }

    /// The path `name` runs as: itself when it has a slash, else the first match on `PATH` and
    /// the sbin directories.
    static func executable(_ name: String) -> String? {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map(String.init) ?? []
        for directory in path + ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"] where !directory.isEmpty {
            if access(directory + "/" + name, X_OK) == 0 { return directory + "/" + name }
        }
        return nil
    }

    /// `arguments` as a line a shell would run the same way.
    static func quote(_ arguments: [String]) -> String {
        arguments.map { argument in
            let plain = !argument.isEmpty && argument.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) || "-_./:=,@%+".unicodeScalars.contains($0)
            }
            return plain ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }

    /// Marks every descriptor above stderr close-on-exec, so no child holds one of the test
    /// process's files or sockets (glibc's `posix_spawn_file_actions_addclosefrom_np` is not
    /// imported into Swift). The test process itself never execs, so nothing else changes.
    private static func closeOnExecAllDescriptors() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for entry in entries {
            guard let fd = Int32(entry), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0, flags & FD_CLOEXEC == 0 {
                _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC)
            }
        }
    }
}

/// Two temporary files that take a command's stdout and stderr.
private struct OutputFiles {
    let stdoutPath: String
    let stderrPath: String

    init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-e2e-io-\(geteuid())", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stem = directory.appendingPathComponent(UUID().uuidString).path
        stdoutPath = stem + ".out"
        stderrPath = stem + ".err"
    }

    func output(commandLine: String, status: Int32, duration: Duration, timedOut: Bool) -> ProcessOutput {
        ProcessOutput(
            commandLine: commandLine, status: status,
            stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "",
            duration: duration, timedOut: timedOut
        )
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: stdoutPath)
        try? FileManager.default.removeItem(atPath: stderrPath)
    }
}
