import Foundation
import Glibc

/// What a finished command printed and how it exited.
struct CommandResult: Sendable {
    /// The command as one shell-quoted line, for messages.
    var commandLine: String
    var status: Int32
    var stdout: String
    var stderr: String

    var succeeded: Bool { status == 0 }
}

/// Runs the lab's commands (`ip`, `iptables-legacy`, `sysctl`) with `Process`, capturing their
/// output, and starts the workers detached from the calling process.
///
/// Commands are named, not given as paths: they are looked up on `PATH` and then in the sbin
/// directories, where Debian keeps `ip` and `iptables-legacy` but which a non-login shell's `PATH`
/// may lack.
struct CommandRunner: Sendable {
    /// Directories searched after `PATH`.
    static let fallbackSearchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]

    /// `arguments[0]` run with the rest; throws ``LabError`` with the command line and its stderr
    /// when it cannot start or exits non-zero.
    @discardableResult
    func run(_ arguments: [String]) throws(LabError) -> CommandResult {
        let result = try status(arguments)
        guard result.succeeded else {
            throw LabError(
                code: .commandFailed, message: "command failed", commandLine: result.commandLine,
                status: result.status, output: result.stderr.isEmpty ? result.stdout : result.stderr
            )
        }
        return result
    }

    /// `arguments[0]` run with the rest, whatever its exit status; throws only when it cannot start.
    func status(_ arguments: [String]) throws(LabError) -> CommandResult {
        let commandLine = Self.quote(arguments)
        let executable = try resolve(arguments[0])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(arguments.dropFirst())
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw LabError(code: .commandFailed, message: "cannot start command: \(error)", commandLine: commandLine)
        }
        // Drain both pipes at once, so a command that fills one while we block on the other
        // cannot deadlock.
        let errorOutput = OutputBuffer()
        let group = DispatchGroup()
        let stderrHandle = stderr.fileHandleForReading
        DispatchQueue.global().async(group: group) {
            errorOutput.data = stderrHandle.readDataToEndOfFile()
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return CommandResult(
            commandLine: commandLine, status: status,
            stdout: String(decoding: output, as: UTF8.self), stderr: String(decoding: errorOutput.data, as: UTF8.self)
        )
    }

    /// Starts `arguments` as a daemon: a new session (so no terminal signal reaches it and it
    /// outlives the caller), signals reset to their defaults, stdin from `/dev/null`, stdout and
    /// stderr appended to `logPath`. Returns its pid, which is the pid of whatever `arguments[0]`
    /// finally execs (`ip netns exec` execs its command in place).
    func spawnDetached(_ arguments: [String], logPath: String) throws(LabError) -> pid_t {
        let commandLine = Self.quote(arguments)
        let executable = try resolve(arguments[0])
        Self.closeOnExecInheritedDescriptors()

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

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
        posix_spawnattr_setflags(
            &attributes, Int16(Self.spawnSetSID | Int32(POSIX_SPAWN_SETSIGDEF) | Int32(POSIX_SPAWN_SETSIGMASK))
        )

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let error = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard error == 0 else {
            throw LabError(
                code: .commandFailed, message: "cannot start command: \(String(cString: strerror(error)))",
                commandLine: commandLine
            )
        }
        return pid
    }

    /// The path `name` runs as: itself when it has a slash, else the first executable match on
    /// `PATH` and then ``fallbackSearchPath``.
    func resolve(_ name: String) throws(LabError) -> String {
        if name.contains("/") {
            return name
        }
        let path = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map(String.init) ?? []
        for directory in path + Self.fallbackSearchPath where !directory.isEmpty {
            let candidate = directory + "/" + name
            if access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        throw LabError(code: .commandFailed, message: "command '\(name)' not found on PATH or in the sbin directories")
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

    /// glibc's `POSIX_SPAWN_SETSID` (spawn.h, glibc ≥ 2.26), which Swift's Glibc module does not
    /// import because it is declared only under `_GNU_SOURCE`.
    private static let spawnSetSID: Int32 = 0x80

    /// Marks every descriptor above stderr close-on-exec, so a daemon started by
    /// ``spawnDetached(_:logPath:)`` holds none of ours (a pipe the caller of `rampart lab up`
    /// reads would otherwise stay open until the workers exit). glibc's
    /// `posix_spawn_file_actions_addclosefrom_np` would do it per spawn, but Swift does not import it.
    private static func closeOnExecInheritedDescriptors() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for entry in entries {
            guard let fd = Int32(entry), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 {
                _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC)
            }
        }
    }
}

/// The bytes a background reader collected; read only after its `DispatchGroup` finished.
private final class OutputBuffer: @unchecked Sendable {
    var data = Data()
}
