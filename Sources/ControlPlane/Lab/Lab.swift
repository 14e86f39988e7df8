import Foundation
import Glibc
import Shared

/// `rampart lab up|down`: a client, a firewall and a server in three network namespaces, the
/// firewall forwarding between the two others through Rampart's iptables chains and workers.
///
/// Both operations are idempotent: `up` on an existing lab first takes it down, `down` on nothing
/// succeeds. `up` that fails half-way takes down what it created. Every failing command is
/// reported with its command line and stderr (``LabError``).
///
/// Files under the run directory: `workers.pid` (one worker pid per line, queue order),
/// `worker-qN.log` (worker N's stdout and stderr), `worker/` (the workers' state directory, where
/// they keep their last good snapshot) and `eve.json` (the workers' EVE events).
public struct Lab: Sendable {
    /// What `up` needs besides the lab's name.
    public struct UpOptions: Sendable {
        /// The control plane's Unix socket, passed to every worker as `--control`.
        public var controlSocket: String
        /// The firewall the workers enforce, passed as `--firewall`.
        public var firewallName: String
        /// How many workers, one per NFQUEUE (0 … count-1).
        public var workerCount: Int
        /// The worker executable; `nil` means `rampart-worker` next to the running executable.
        public var workerBinary: String?
        /// Whether packets pass when no worker listens (`--queue-bypass`); fail closed otherwise.
        public var failOpen: Bool

        public init(controlSocket: String, firewallName: String, workerCount: Int, workerBinary: String? = nil, failOpen: Bool = false) {
            self.controlSocket = controlSocket
            self.firewallName = firewallName
            self.workerCount = workerCount
            self.workerBinary = workerBinary
            self.failOpen = failOpen
        }
    }

    /// What `up` built.
    public struct UpSummary: Sendable, CustomStringConvertible {
        public var lab: Lab
        public var workerPIDs: [Int32]
        public var workerBinary: String
        public var controlSocket: String
        public var firewallName: String
        public var failOpen: Bool
        /// What taking down the previous lab of the same name left alone.
        public var warnings: [String] = []

        public var description: String {
            let topology = lab.topology
            let client = topology.clientLink
            let server = topology.serverLink
            let length = LabTopology.prefixLength
            let queues = workerPIDs.count == 1 ? "queue 0" : "queues 0-\(workerPIDs.count - 1)"
            func pad(_ text: String, _ width: Int) -> String {
                text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
            }
            let width = topology.serverNamespace.count + 2
            let lines = [
                "Lab \(topology.prefix) is up.",
                "  client    \(pad(client.host.namespace, width))\(pad(client.host.interface, 6))\(client.host.address)/\(length), default via \(client.firewall.address)",
                "  firewall  \(pad(client.firewall.namespace, width))\(pad(client.firewall.interface, 6))\(client.firewall.address)/\(length)",
                "            \(pad("", width))\(pad(server.firewall.interface, 6))\(server.firewall.address)/\(length)",
                "  server    \(pad(server.host.namespace, width))\(pad(server.host.interface, 6))\(server.host.address)/\(length), default via \(server.firewall.address)",
                "  chains    mangle \(IptablesChains.preroutingChain) → NFQUEUE \(queues), fail \(failOpen ? "open" : "closed"); filter \(IptablesChains.forwardChain)",
                "  workers   \(workerPIDs.count) × \(workerBinary), pids \(workerPIDs.map(String.init).joined(separator: " "))",
                "  enforces  firewall '\(firewallName)' from \(controlSocket)",
                "  run dir   \(lab.runDirectory)",
                "  pids      \(lab.pidFile)",
                "  logs      \(lab.workerLog(queue: 0))\(workerPIDs.count > 1 ? " … worker-q\(workerPIDs.count - 1).log" : "")",
                "  state     \(lab.workerStateDirectory)",
                "  events    \(lab.eveLog)",
                "  try       ip netns exec \(topology.clientNamespace) curl http://\(server.host.address):8080/",
                "  stop      rampart lab down --prefix \(topology.prefix)\(lab.runDirectory == topology.defaultRunDirectory ? "" : " --run-dir \(lab.runDirectory)")",
            ]
            return (lines + warnings.map { "  warning: \($0)" }).joined(separator: "\n")
        }
    }

    /// What `down` did.
    public struct DownSummary: Sendable, CustomStringConvertible {
        public var prefix: String
        /// Workers stopped with SIGTERM.
        public var terminated: [Int32] = []
        /// Workers that outlived the grace period and were killed.
        public var killed: [Int32] = []
        /// Namespaces deleted.
        public var deletedNamespaces: [String] = []
        /// Things left alone that the user may want to look at.
        public var warnings: [String] = []

        public var description: String {
            var lines: [String] = []
            if terminated.isEmpty && deletedNamespaces.isEmpty {
                lines.append("Lab \(prefix) is down (nothing to do).")
            } else {
                lines.append("Lab \(prefix) is down.")
                if !terminated.isEmpty {
                    lines.append("  workers stopped: \(terminated.map(String.init).joined(separator: " "))"
                        + (killed.isEmpty ? "" : " (killed after the grace period: \(killed.map(String.init).joined(separator: " ")))"))
                }
                if !deletedNamespaces.isEmpty {
                    lines.append("  namespaces deleted: \(deletedNamespaces.joined(separator: " "))")
                }
            }
            lines += warnings.map { "  warning: \($0)" }
            return lines.joined(separator: "\n")
        }
    }

    /// How long `down` waits for workers to exit after SIGTERM before it sends SIGKILL.
    public static let terminationGracePeriod: Duration = .seconds(3)
    /// How long `up` watches freshly started workers for an early exit.
    static let startupCheckDelay: Duration = .milliseconds(500)

    /// The names and addresses.
    public let topology: LabTopology
    /// Where the pid file, logs, worker state and EVE log go.
    public let runDirectory: String
    let runner = CommandRunner()

    /// The lab named `prefix`, with its files under `runDirectory` (default `/run/rampart-lab/PREFIX`).
    public init(prefix: String, runDirectory: String? = nil) throws(LabError) {
        topology = try LabTopology(prefix: prefix)
        self.runDirectory = Self.absolute(runDirectory ?? topology.defaultRunDirectory)
    }

    /// `RUN/workers.pid`.
    public var pidFile: String { runDirectory + "/workers.pid" }
    /// `RUN/worker`: the workers' `--state-dir`.
    public var workerStateDirectory: String { runDirectory + "/worker" }
    /// `RUN/eve.json`: the workers' `--eve`.
    public var eveLog: String { runDirectory + "/eve.json" }
    /// `RUN/worker-qN.log`.
    public func workerLog(queue: Int) -> String { runDirectory + "/worker-q\(queue).log" }

    /// The command line that starts the worker of `queue` in the firewall namespace.
    public func workerCommand(queue: Int, workerBinary: String, controlSocket: String, firewallName: String) -> [String] {
        [
            "ip", "netns", "exec", topology.firewallNamespace, workerBinary, "run",
            "--queue", String(queue),
            "--control", controlSocket,
            "--firewall", firewallName,
            "--state-dir", workerStateDirectory,
            "--eve", eveLog,
        ]
    }

    // MARK: - up

    /// Builds the lab (taking down any lab of the same name first) and starts its workers.
    public func up(_ options: UpOptions) async throws(LabError) -> UpSummary {
        try Self.requireRoot()
        guard (1...64).contains(options.workerCount) else {
            throw LabError(code: .invalidArgument, message: "--workers must be between 1 and 64, got \(options.workerCount)")
        }
        guard !options.firewallName.isEmpty else {
            throw LabError(code: .invalidArgument, message: "--firewall must name a firewall")
        }
        guard !options.controlSocket.isEmpty else {
            throw LabError(code: .invalidArgument, message: "--control must name the control plane's socket")
        }
        let workerBinary = try Self.workerBinary(options.workerBinary)
        let controlSocket = Self.absolute(options.controlSocket)

        let previous = try await down()
        do {
            try buildTopology()
            let chains = IptablesChains(queueCount: options.workerCount, failOpen: options.failOpen)
            for family in Self.families {
                try install(chains, family: family)
            }
            try enableForwarding()
            try routeDivertedTraffic()
            try createRunDirectory()
            let pids = try await startWorkers(
                count: options.workerCount, workerBinary: workerBinary,
                controlSocket: controlSocket, firewallName: options.firewallName
            )
            return UpSummary(
                lab: self, workerPIDs: pids, workerBinary: workerBinary,
                controlSocket: controlSocket, firewallName: options.firewallName, failOpen: options.failOpen,
                warnings: previous.warnings
            )
        } catch {
            _ = try? await down()
            throw error
        }
    }

    /// Namespaces, veth pairs, addresses, links up, default routes.
    func buildTopology() throws(LabError) {
        for namespace in topology.namespaces {
            try runner.run(["ip", "netns", "add", namespace])
            try runner.run(["ip", "-n", namespace, "link", "set", "lo", "up"])
        }
        for link in topology.links {
            // Created in the host namespace with its peer moved straight into the firewall's, so
            // no interface ever appears in the caller's namespace.
            try runner.run([
                "ip", "-n", link.host.namespace, "link", "add", link.host.interface, "type", "veth",
                "peer", "name", link.firewall.interface, "netns", link.firewall.namespace,
            ])
            for end in [link.host, link.firewall] {
                try runner.run([
                    "ip", "-n", end.namespace, "addr", "add", "\(end.address)/\(LabTopology.prefixLength)", "dev", end.interface,
                ])
                try runner.run(["ip", "-n", end.namespace, "link", "set", end.interface, "up"])
            }
            try runner.run(["ip", "-n", link.host.namespace, "route", "add", "default", "via", link.firewall.address])
        }
    }

    /// Creates (or flushes) and fills Rampart's chains in the firewall namespace, and inserts the
    /// jump to each at the top of its built-in chain unless it is already there.
    func install(_ chains: IptablesChains, family: IptablesChains.Family) throws(LabError) {
        let iptables = ["ip", "netns", "exec", topology.firewallNamespace, family.command, "-w", "5"]
        for chain in chains.chains(for: family) {
            let table = ["-t", chain.table]
            if try !runner.status(iptables + table + ["-S", chain.name]).succeeded {
                try runner.run(iptables + table + ["-N", chain.name])
            }
            try runner.run(iptables + table + ["-F", chain.name])
            for rule in chain.rules {
                try runner.run(iptables + table + ["-A", chain.name] + rule)
            }
            if try !runner.status(iptables + table + ["-C", chain.hook, "-j", chain.name]).succeeded {
                try runner.run(iptables + table + ["-I", chain.hook, "1", "-j", chain.name])
            }
        }
    }

    /// IPv4 (and IPv6, when the kernel has it) forwarding in the firewall namespace only.
    func enableForwarding() throws(LabError) {
        var settings = ["net.ipv4.ip_forward=1"]
        if Self.families.contains(.ipv6) {
            settings.append("net.ipv6.conf.all.forwarding=1")
        }
        try runner.run(["ip", "netns", "exec", topology.firewallNamespace, "sysctl", "-q", "-w"] + settings)
    }

    /// The policy route that delivers packets marked ``PacketMarks/divertTLS`` to the TLS engine on the
    /// firewall itself: `ip rule fwmark … lookup TABLE` and `local default dev lo` in that table.
    func routeDivertedTraffic() throws(LabError) {
        let mark = IptablesChains.markSpec(PacketMarks.divertTLS)
        let table = String(TLSDiversion.routingTable)
        for family in Self.families {
            let ip = ["ip", "-n", topology.firewallNamespace] + (family == .ipv6 ? ["-6"] : ["-4"])
            try runner.run(ip + ["rule", "add", "fwmark", mark, "lookup", table, "priority", String(TLSDiversion.rulePriority)])
            try runner.run(ip + ["route", "add", "local", family == .ipv6 ? "::/0" : "0.0.0.0/0", "dev", "lo", "table", table])
        }
    }

    func createRunDirectory() throws(LabError) {
        do {
            try FileManager.default.createDirectory(
                atPath: runDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750]
            )
            // The state directory holds snapshots, which may carry the TLS inspection CA's key.
            try FileManager.default.createDirectory(
                atPath: workerStateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw LabError(code: .fileSystem, message: "cannot create the run directory \(runDirectory): \(error)")
        }
    }

    /// Starts one detached worker per queue, records each pid as soon as it runs (so a failure
    /// further on still takes it down), then checks that none exited at once.
    func startWorkers(count: Int, workerBinary: String, controlSocket: String, firewallName: String) async throws(LabError) -> [Int32] {
        var pids: [Int32] = []
        for queue in 0..<count {
            let command = workerCommand(queue: queue, workerBinary: workerBinary, controlSocket: controlSocket, firewallName: firewallName)
            pids.append(try runner.spawnDetached(command, logPath: workerLog(queue: queue)))
            try writePIDFile(pids)
        }
        try? await Task.sleep(for: Self.startupCheckDelay)
        for (queue, pid) in pids.enumerated() {
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { continue }
            let exit = (status & 0x7F) == 0 ? "exited with status \((status >> 8) & 0xFF)" : "was killed by signal \(status & 0x7F)"
            throw LabError(
                code: .workerExited,
                message: "the worker of queue \(queue) (pid \(pid)) \(exit) right after it started (its log: \(workerLog(queue: queue)))",
                commandLine: CommandRunner.quote(
                    workerCommand(queue: queue, workerBinary: workerBinary, controlSocket: controlSocket, firewallName: firewallName)
                ),
                output: Self.tail(of: workerLog(queue: queue), lines: 20)
            )
        }
        return pids
    }

    func writePIDFile(_ pids: [Int32]) throws(LabError) {
        let text = pids.map { "\($0)\n" }.joined()
        do {
            try text.write(toFile: pidFile, atomically: true, encoding: .utf8)
        } catch {
            throw LabError(code: .fileSystem, message: "cannot write \(pidFile): \(error)")
        }
    }

    // MARK: - down

    /// Stops the workers listed in the pid file (SIGTERM, then SIGKILL after
    /// ``terminationGracePeriod``; no other process), deletes the three namespaces (which takes
    /// their veths and iptables state with them) and removes the pid file.
    @discardableResult
    public func down() async throws(LabError) -> DownSummary {
        try Self.requireRoot()
        var summary = DownSummary(prefix: topology.prefix)

        let listed = readPIDFile()
        var workers: [Int32] = []
        for pid in listed where Self.isAlive(pid) {
            if isWorker(pid) {
                workers.append(pid)
            } else {
                summary.warnings.append("pid \(pid) from \(pidFile) is no longer a worker of this lab; left alone")
            }
        }
        for pid in workers {
            kill(pid, SIGTERM)
        }
        summary.terminated = workers
        let deadline = ContinuousClock.now + Self.terminationGracePeriod
        while workers.contains(where: Self.isAlive), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        summary.killed = workers.filter(Self.isAlive)
        for pid in summary.killed {
            kill(pid, SIGKILL)
        }
        let killDeadline = ContinuousClock.now + .seconds(2)
        while summary.killed.contains(where: Self.isAlive), ContinuousClock.now < killDeadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        for pid in summary.killed where Self.isAlive(pid) {
            summary.warnings.append("worker \(pid) survived SIGKILL")
        }

        let existing = try existingNamespaces()
        for namespace in topology.namespaces.reversed() where existing.contains(namespace) {
            let stray = (try? runner.status(["ip", "netns", "pids", namespace]))?.stdout
                .split(whereSeparator: \.isNewline).map(String.init) ?? []
            if !stray.isEmpty {
                summary.warnings.append(
                    "processes still run in \(namespace) (pids \(stray.joined(separator: " "))); not listed in \(pidFile), they were left alone and keep that network alive until they exit"
                )
            }
            try runner.run(["ip", "netns", "del", namespace])
            summary.deletedNamespaces.append(namespace)
        }

        if FileManager.default.fileExists(atPath: pidFile) {
            do {
                try FileManager.default.removeItem(atPath: pidFile)
            } catch {
                throw LabError(code: .fileSystem, message: "cannot remove \(pidFile): \(error)")
            }
        }
        return summary
    }

    /// The pids in the pid file; none when it is missing.
    func readPIDFile() -> [Int32] {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8) else { return [] }
        return text.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }.filter { $0 > 1 }
    }

    /// Whether `pid` runs with this lab's worker state directory, so a pid reused by another
    /// process since the lab started is never signalled.
    func isWorker(_ pid: Int32) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return zip(arguments, arguments.dropFirst()).contains { $0 == "--state-dir" && $1 == workerStateDirectory }
    }

    /// The namespaces `ip netns list` shows.
    func existingNamespaces() throws(LabError) -> Set<String> {
        let output = try runner.run(["ip", "netns", "list"]).stdout
        return Set(output.split(whereSeparator: \.isNewline).compactMap { $0.split(separator: " ").first.map(String.init) })
    }

    // MARK: - helpers

    /// Both families when the kernel has IPv6, else IPv4 only.
    static var families: [IptablesChains.Family] {
        FileManager.default.fileExists(atPath: "/proc/sys/net/ipv6") ? [.ipv4, .ipv6] : [.ipv4]
    }

    static func requireRoot() throws(LabError) {
        guard geteuid() == 0 else {
            throw LabError(code: .notPermitted, message: "the lab creates network namespaces and iptables chains: run it as root")
        }
    }

    /// The worker executable: `given` made absolute, or `rampart-worker` next to this executable.
    static func workerBinary(_ given: String?) throws(LabError) -> String {
        let path: String
        if let given {
            path = given.contains("/") ? absolute(given) : ((try? CommandRunner().resolve(given)) ?? absolute(given))
        } else {
            guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
                throw LabError(code: .invalidArgument, message: "cannot read /proc/self/exe to find rampart-worker; pass --worker-binary")
            }
            path = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("rampart-worker").path
        }
        guard access(path, X_OK) == 0 else {
            throw LabError(
                code: .invalidArgument,
                message: "the worker binary \(path) is missing or not executable (build it with `swift build`, or pass --worker-binary)"
            )
        }
        return path
    }

    /// `path` made absolute against the current directory.
    static func absolute(_ path: String) -> String {
        let url = path.hasPrefix("/")
            ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }

    /// Whether `pid` is a running process (a zombie, dead but not yet reaped, is not).
    static func isAlive(_ pid: Int32) -> Bool {
        var status: Int32 = 0
        _ = waitpid(pid, &status, WNOHANG)  // reaps it if it is our own exited child
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].drop(while: { $0 == " " }).first
        return state != "Z" && state != "X"
    }

    /// The last `lines` lines of the file at `path`, or a note that it cannot be read.
    static func tail(of path: String, lines: Int) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "(cannot read \(path))" }
        let all = text.split(separator: "\n", omittingEmptySubsequences: false)
        return all.suffix(lines).joined(separator: "\n")
    }
}
