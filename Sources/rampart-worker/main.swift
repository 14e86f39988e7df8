import ArgumentParser
import DataPlane

/// `rampart-worker`: a data-plane worker process. Thin: parses arguments and hands over to DataPlane.
struct RampartWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rampart-worker",
        abstract: "Rampart data-plane worker.",
        subcommands: [Run.self]
    )
}

/// `rampart-worker run --queue N --control PATH --firewall NAME`.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enforce a firewall's snapshot on one NFQUEUE, fed by the control plane's socket."
    )

    @Option(help: "The NFQUEUE number to bind.")
    var queue: UInt16

    @Option(help: "The control plane's (or host agent's) Unix socket.")
    var control: String

    @Option(help: "The firewall whose snapshots this worker enforces.")
    var firewall: String

    @Option(name: .customLong("state-dir"), help: "Directory for the snapshot cache (and the default EVE file).")
    var stateDirectory = "/var/lib/rampart/worker"

    @Option(help: "EVE JSON output file (default: <state-dir>/eve.json).")
    var eve: String?

    @Flag(name: .customLong("fail-open"), help: "Accept packets while no snapshot is active and when the queue overflows.")
    var failOpen = false

    @Option(name: .customLong("max-flows"), help: "The most flows tracked at once.")
    var maxFlows = 65536

    @Flag(name: .customLong("pass-malformed"), help: "Accept packets that cannot be decoded (default: drop).")
    var passMalformed = false

    func validate() throws {
        guard maxFlows > 0 else { throw ValidationError("--max-flows must be positive") }
        guard !firewall.isEmpty, !firewall.contains("/") else { throw ValidationError("--firewall must be a plain name") }
    }

    func run() throws {
        let configuration = WorkerConfiguration(
            queue: queue, controlPath: control, firewallName: firewall, stateDirectory: stateDirectory, evePath: eve,
            failOpen: failOpen, maximumFlows: maxFlows, dropMalformed: !passMalformed
        )
        try WorkerService(configuration: configuration, log: .standardError(prefix: "rampart-worker[q\(queue)]")).run()
    }
}

RampartWorker.main()
