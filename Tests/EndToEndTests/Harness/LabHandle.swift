import Foundation
import Glibc

/// One of the lab's three namespaces.
enum LabHost: String, Sendable {
    case client, fw, server
}

/// What `curl` run in the client namespace saw.
struct CurlResult: Sendable {
    /// curl's exit status: 0, 7 (connection refused), 28 (timed out), 56 (reset), …
    var exit: Int32
    /// The HTTP status curl printed (`000` when there was no response).
    var httpCode: String
    var duration: Duration
    var output: ProcessOutput
}

/// A lab as the tests drive it: `rampart lab up|down` as a user runs them, commands in its
/// namespaces, HTTP servers in its server namespace, its pid file and EVE log.
final class LabHandle {
    /// The server's address, where the HTTP servers listen.
    static let serverAddress = "198.19.0.2"

    let prefix: String
    let runDirectory: String
    /// What the HTTP servers serve.
    let documentRoot: String
    private var httpServers: [Int: ChildProcess] = [:]
    private var handStartedWorkers: [ChildProcess] = []
    private var adoptedPIDs: [Int32] = []
    /// Whether `lab up` was run (by the test or a script it ran), so teardown must run `lab down`.
    private(set) var used = false

    init(prefix: String, runDirectory: String, documentRoot: String) {
        self.prefix = prefix
        self.runDirectory = runDirectory
        self.documentRoot = documentRoot
    }

    func namespace(_ host: LabHost) -> String { "\(prefix)-\(host.rawValue)" }
    var pidFile: String { runDirectory + "/workers.pid" }
    var eveLog: String { runDirectory + "/eve.json" }
    var workerStateDirectory: String { runDirectory + "/worker" }
    func workerLog(queue: Int) -> String { runDirectory + "/worker-q\(queue).log" }

    // MARK: - rampart lab

    /// `rampart lab up`; throws with the command's output unless it exits 0.
    @discardableResult
    func up(control: String, firewall: String, workers: Int, failOpen: Bool = false, workerBinary: String? = nil) async throws -> ProcessOutput {
        var arguments = [
            E2EEnvironment.rampart, "lab", "up", "--prefix", prefix, "--control", control, "--firewall", firewall,
            "--workers", String(workers), "--run-dir", runDirectory,
        ]
        if let workerBinary { arguments += ["--worker-binary", workerBinary] }
        if failOpen { arguments.append("--fail-open") }
        used = true
        let output = try await Subprocess.run(arguments, timeout: .seconds(60))
        guard output.status == 0 else { throw E2EFailure("rampart lab up failed:\n\(output.summary)") }
        return output
    }

    /// `rampart lab down`, whatever it returns.
    @discardableResult
    func down() async throws -> ProcessOutput {
        try await Subprocess.run(
            [E2EEnvironment.rampart, "lab", "down", "--prefix", prefix, "--run-dir", runDirectory], timeout: .seconds(60)
        )
    }

    /// The pids in `RUN/workers.pid`, in queue order.
    func workerPIDs() -> [Int32] {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8) else { return [] }
        return text.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
    }

    /// Rewrites `RUN/workers.pid` (after a worker was restarted by hand, so `lab down` stops it).
    func writeWorkerPIDs(_ pids: [Int32]) throws {
        try Data(pids.map { "\($0)\n" }.joined().utf8).write(to: URL(fileURLWithPath: pidFile))
    }

    /// Starts the worker of `queue` by hand in the firewall namespace, with the arguments `lab up`
    /// gives it; the lab's teardown stops it.
    func startWorkerByHand(queue: Int, control: String, firewall: String) throws -> ChildProcess {
        let process = try Subprocess.spawn(
            [
                "ip", "netns", "exec", namespace(.fw), E2EEnvironment.worker, "run", "--queue", String(queue),
                "--control", control, "--firewall", firewall, "--state-dir", workerStateDirectory, "--eve", eveLog,
            ],
            logPath: runDirectory + "/worker-q\(queue)-by-hand.log"
        )
        handStartedWorkers.append(process)
        return process
    }

    /// Processes something else started for this lab (the README's setup script's HTTP
    /// servers), stopped by pid at teardown.
    func adopt(pids: [Int32]) {
        adoptedPIDs += pids
    }

    /// Notes that something other than ``up(control:firewall:workers:failOpen:workerBinary:)``
    /// (the README's setup script) may have brought the lab up.
    func markUsed() {
        used = true
    }

    // MARK: - traffic

    /// `arguments` run in `host`'s namespace.
    func exec(_ host: LabHost, _ arguments: [String], timeout: Duration = .seconds(30)) async throws -> ProcessOutput {
        try await Subprocess.run(["ip", "netns", "exec", namespace(host)] + arguments, timeout: timeout)
    }

    /// `curl -m maxTime http://198.19.0.2:PORT/` from the client: through the firewall.
    func curlFromClient(port: Int, maxTime: Int = 3) async throws -> CurlResult {
        let output = try await exec(
            .client,
            ["curl", "-sS", "-m", String(maxTime), "-o", "/dev/null", "-w", "%{http_code}", "http://\(Self.serverAddress):\(port)/"],
            timeout: .seconds(maxTime + 10)
        )
        return CurlResult(exit: output.status, httpCode: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines), duration: output.duration, output: output)
    }

    /// Curl from the client until it gets a 200, every `interval`, for at most `timeout`; the last result.
    func curlFromClientUntilOK(port: Int, timeout: Duration, maxTime: Int = 2) async throws -> CurlResult {
        let deadline = ContinuousClock.now + timeout
        var result = try await curlFromClient(port: port, maxTime: maxTime)
        while result.exit != 0 || result.httpCode != "200", ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(200))
            result = try await curlFromClient(port: port, maxTime: maxTime)
        }
        return result
    }

    /// The Python the lab's helper scripts run with.
    var python: String {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
    }

    /// Python's `http.server` serving ``documentRoot`` on 198.19.0.2:PORT in the server
    /// namespace, once it listens.
    ///
    /// Not `python3 -m http.server --bind`: its `HTTPServer.server_bind` looks the address up in
    /// DNS (`socket.getfqdn`), and the query, sent towards the host's nameserver through the
    /// firewall, is dropped when no worker serves the queue (fail closed), which stalls the start
    /// for the resolver's full timeout. `socketserver.TCPServer` binds without a lookup.
    func startHTTPServer(port: Int) async throws {
        let server = """
            import functools, http.server, socketserver, sys
            socketserver.TCPServer.allow_reuse_address = True
            handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[3])
            socketserver.ThreadingTCPServer((sys.argv[1], int(sys.argv[2])), handler).serve_forever()
            """
        let process = try Subprocess.spawn(
            ["ip", "netns", "exec", namespace(.server), python, "-c", server, Self.serverAddress, String(port), documentRoot],
            logPath: runDirectory + "/http-\(port).log"
        )
        httpServers[port] = process
        try await waitUntilListening(port: port, process: process)
    }

    /// Waits (at most `timeout`) until something listens on TCP `port` in `host`'s namespace; `process`, when
    /// given, must keep running (its log, default `RUN/http-PORT.log`, explains an exit).
    func waitUntilListening(
        on host: LabHost = .server, port: Int, process: ChildProcess? = nil, log: String? = nil, timeout: Duration = .seconds(10)
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let process, !process.isRunning {
                throw E2EFailure("the server on port \(port) exited\n\(Diagnostics.tail(log ?? runDirectory + "/http-\(port).log"))")
            }
            let listening = try await exec(host, ["ss", "-Hltn", "sport = :\(port)"], timeout: .seconds(5))
            if listening.status == 0, !listening.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                return
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        throw E2EFailure("nothing listens on port \(port) in \(namespace(host)) after \(timeout)")
    }

    /// Stops the HTTP server on `port`.
    func stopHTTPServer(port: Int) async {
        if let process = httpServers.removeValue(forKey: port) {
            await process.stop(grace: .seconds(3))
        }
    }

    // MARK: - events

    /// Every complete line of `RUN/eve.json`.
    func eveLines() -> [EveLine] {
        guard let data = FileManager.default.contents(atPath: eveLog) else { return [] }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        if data.last != UInt8(ascii: "\n"), !lines.isEmpty {
            lines.removeLast()  // being written
        }
        return lines.map { EveLine(raw: Data($0)) }
    }

    /// Waits (at most `timeout`) for an EVE line that `matches`, among those after the first `skipping`.
    func waitForEvent(skipping: Int = 0, timeout: Duration = .seconds(5), where matches: (EveLine) -> Bool) async -> EveLine? {
        let deadline = ContinuousClock.now + timeout
        repeat {
            if let line = eveLines().dropFirst(skipping).first(where: matches) { return line }
            try? await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < deadline
        return nil
    }

    // MARK: - teardown

    /// Stops what the test started here (HTTP servers, hand-started workers) and takes the lab
    /// down; returns what went wrong.
    func tearDown() async -> [String] {
        var problems: [String] = []
        for port in Array(httpServers.keys) {
            await stopHTTPServer(port: port)
        }
        for process in handStartedWorkers {
            await process.stop(grace: .seconds(3))
        }
        handStartedWorkers.removeAll()
        for pid in adoptedPIDs where !(await Subprocess.stop(pid: pid, grace: .seconds(3))) {
            problems.append("process \(pid) survived SIGKILL")
        }
        adoptedPIDs.removeAll()
        guard used else { return problems }
        do {
            let output = try await down()
            if output.status != 0 {
                problems.append("rampart lab down failed:\n\(output.summary)")
            }
        } catch {
            problems.append("rampart lab down: \(error)")
        }
        // Never leave a namespace behind, even when `lab down` is broken.
        let list = try? await Subprocess.run(["ip", "netns", "list"], timeout: .seconds(10))
        let existing = Set((list?.stdout ?? "").split(whereSeparator: \.isNewline).compactMap { $0.split(separator: " ").first.map(String.init) })
        for host in [LabHost.client, .fw, .server] where existing.contains(namespace(host)) {
            problems.append("namespace \(namespace(host)) survived `rampart lab down`; deleting it")
            _ = try? await Subprocess.run(["ip", "netns", "del", namespace(host)], timeout: .seconds(10))
        }
        return problems
    }
}

/// One line of the EVE log: its raw bytes and, when it decodes, the fields the tests look at.
struct EveLine: Sendable, CustomStringConvertible {
    /// The fields of an EVE record the tests need; every other field is ignored.
    struct Fields: Decodable, Sendable {
        var event_type: String
        var src_ip: String?
        var dest_ip: String?
        var dest_port: Int?
        var proto: String?
    }

    var raw: Data
    var fields: Fields?

    init(raw: Data) {
        self.raw = raw
        fields = try? JSONDecoder().decode(Fields.self, from: raw)
    }

    var description: String { String(decoding: raw, as: UTF8.self) }
}
