import Foundation
import Glibc

/// `rampart serve --state-dir DIR --listen 127.0.0.1:PORT`, started and stopped by the test.
final class ControlPlaneProcess {
    let stateDirectory: String
    let port: Int
    /// Further `rampart serve` arguments (`--upstream-trust-bundle FILE`).
    var extraArguments: [String] = []
    private var process: ChildProcess?

    /// `DIR/rampart.sock`: what the workers connect to.
    var socketPath: String { stateDirectory + "/rampart.sock" }
    /// `DIR/serve.log`: the control plane's stdout and stderr (appended across restarts).
    var logPath: String { stateDirectory + "/serve.log" }
    /// `http://127.0.0.1:PORT`.
    var baseURL: String { "http://127.0.0.1:\(port)" }
    /// The pid of the running control plane.
    var pid: Int32? { process.flatMap { $0.isRunning ? $0.pid : nil } }

    init(stateDirectory: String, port: Int) {
        self.stateDirectory = stateDirectory
        self.port = port
    }

    /// Starts the control plane (again, after ``stop()``, on the same port and state) and waits
    /// until `GET /healthz` answers 200; returns the admin token from `DIR/admin.token`.
    @discardableResult
    func start(timeout: Duration = .seconds(30)) async throws -> String {
        let process = try Subprocess.spawn(
            [E2EEnvironment.rampart, "serve", "--state-dir", stateDirectory, "--listen", "127.0.0.1:\(port)"] + extraArguments,
            logPath: logPath, currentDirectory: E2EEnvironment.repositoryRoot
        )
        self.process = process
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw E2EFailure("rampart serve exited with status \(process.exitStatus ?? -1) before it was healthy\n\(Diagnostics.tail(logPath))")
            }
            let health = try await Subprocess.run(
                ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", "2", baseURL + "/healthz"], timeout: .seconds(5)
            )
            if health.stdout == "200" {
                return try token()
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        throw E2EFailure("rampart serve did not answer GET /healthz with 200 within \(timeout)\n\(Diagnostics.tail(logPath))")
    }

    /// The admin token in `DIR/admin.token`.
    func token() throws -> String {
        guard let text = try? String(contentsOfFile: stateDirectory + "/admin.token", encoding: .utf8) else {
            throw E2EFailure("\(stateDirectory)/admin.token is missing after rampart serve became healthy")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// SIGTERM (a graceful shutdown), SIGKILL after 5 s.
    func stop() async {
        await process?.stop(grace: .seconds(5))
        process = nil
    }

    /// A free TCP port on 127.0.0.1 (bound and released; the kernel does not hand it out again at once).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw E2EFailure("socket(): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw E2EFailure("cannot bind a port on 127.0.0.1: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Log tails for failure messages.
enum Diagnostics {
    /// The last `lines` lines of the file at `path`, headed by its path.
    static func tail(_ path: String, lines: Int = 40) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "--- \(path): (missing)" }
        let tail = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
        return "--- \(path) (last \(lines) lines):\n\(tail)"
    }
}
