import Foundation
import Glibc

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

/// Runs commands for the tests, every one bounded in time. Output goes to temporary files, never
/// to pipes, so a daemon a command leaves behind (a worker, a `python3 -m http.server`) cannot
/// hold a pipe open and hang the test.
enum Subprocess {
    /// Runs `arguments` (a name is looked up on `PATH` and the sbin directories) and waits for it,
    /// killing it after `timeout`.
    static func run(
        _ arguments: [String], timeout: Duration = .seconds(60), environment: [String: String]? = nil,
        currentDirectory: String? = nil
    ) async throws -> ProcessOutput {
        let io = try IOFiles()
        defer { io.remove() }
        let process = try launch(arguments, stdout: io.stdoutHandle, stderr: io.stderrHandle, environment: environment, currentDirectory: currentDirectory)
        let start = ContinuousClock.now
        let deadline = start + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        let timedOut = process.isRunning
        if timedOut {
            await stop(process, grace: .seconds(2))
        }
        process.waitUntilExit()
        return io.output(commandLine: quote(arguments), status: exitStatus(process), duration: ContinuousClock.now - start, timedOut: timedOut)
    }

    /// ``run(_:timeout:environment:currentDirectory:)`` for places that cannot `await` (static
    /// initializers).
    static func runBlocking(_ arguments: [String], timeout: Duration) -> ProcessOutput {
        let start = ContinuousClock.now
        do {
            let io = try IOFiles()
            defer { io.remove() }
            let process = try launch(arguments, stdout: io.stdoutHandle, stderr: io.stderrHandle, environment: nil, currentDirectory: nil)
            let deadline = start + timeout
            while process.isRunning, ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
            let timedOut = process.isRunning
            if timedOut {
                kill(process.processIdentifier, SIGKILL)
            }
            process.waitUntilExit()
            return io.output(commandLine: quote(arguments), status: exitStatus(process), duration: ContinuousClock.now - start, timedOut: timedOut)
        } catch {
            return ProcessOutput(commandLine: quote(arguments), status: 127, stdout: "", stderr: "\(error)", duration: ContinuousClock.now - start, timedOut: false)
        }
    }

    /// Starts `arguments` in the background with stdout and stderr appended to `logPath`; stop it
    /// with ``stop(_:grace:)``.
    static func spawn(
        _ arguments: [String], logPath: String, environment: [String: String]? = nil, currentDirectory: String? = nil
    ) throws -> Process {
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        guard let log = FileHandle(forWritingAtPath: logPath) else {
            throw E2EFailure("cannot open \(logPath) for writing")
        }
        log.seekToEndOfFile()
        defer { try? log.close() }
        return try launch(arguments, stdout: log, stderr: log, environment: environment, currentDirectory: currentDirectory)
    }

    /// SIGTERM, then SIGKILL if `process` is still running after `grace`.
    static func stop(_ process: Process, grace: Duration = .seconds(5)) async {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            let killDeadline = ContinuousClock.now + .seconds(2)
            while process.isRunning, ContinuousClock.now < killDeadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
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

    private static func launch(
        _ arguments: [String], stdout: FileHandle, stderr: FileHandle, environment: [String: String]?, currentDirectory: String?
    ) throws -> Process {
        guard let first = arguments.first, let path = executable(first) else {
            throw E2EFailure("command not found: \(arguments.first ?? "(none)")")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Array(arguments.dropFirst())
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory, isDirectory: true) }
        try process.run()
        return process
    }

    private static func exitStatus(_ process: Process) -> Int32 {
        process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }
}

/// Two temporary files that take a command's stdout and stderr.
private struct IOFiles {
    let stdoutPath: String
    let stderrPath: String
    let stdoutHandle: FileHandle
    let stderrHandle: FileHandle

    init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-e2e-io", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stem = directory.appendingPathComponent(UUID().uuidString).path
        stdoutPath = stem + ".out"
        stderrPath = stem + ".err"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        guard let out = FileHandle(forWritingAtPath: stdoutPath), let err = FileHandle(forWritingAtPath: stderrPath) else {
            throw E2EFailure("cannot create temporary output files under \(directory.path)")
        }
        stdoutHandle = out
        stderrHandle = err
    }

    func output(commandLine: String, status: Int32, duration: Duration, timedOut: Bool) -> ProcessOutput {
        try? stdoutHandle.close()
        try? stderrHandle.close()
        return ProcessOutput(
            commandLine: commandLine, status: status,
            stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "",
            duration: duration, timedOut: timedOut
        )
    }

    func remove() {
        try? stdoutHandle.close()
        try? stderrHandle.close()
        try? FileManager.default.removeItem(atPath: stdoutPath)
        try? FileManager.default.removeItem(atPath: stderrPath)
    }
}
