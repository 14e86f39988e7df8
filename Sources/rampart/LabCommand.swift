import ArgumentParser
import ControlPlane

/// `rampart lab up|down`: a client, a firewall and a server in network namespaces, with Rampart's
/// workers enforcing a firewall between them. The flags are a contract used by `make run` and the
/// end-to-end tests.
struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Build or remove a three-namespace lab (client, firewall, server) with Rampart enforcing between them.",
        discussion: """
            The client (198.18.0.2) reaches the server (198.19.0.2) only through the firewall \
            namespace, whose forwarded packets go to Rampart's workers through NFQUEUE. Needs root.
            """,
        subcommands: [Up.self, Down.self]
    )

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the namespaces, install Rampart's iptables chains in P-fw and start the workers (an existing lab of that name is taken down first)."
        )

        @Option(name: .customLong("prefix"), help: "Namespace prefix: creates P-client, P-fw and P-server.")
        var prefix: String

        @Option(name: .customLong("control"), help: "The control plane's Unix socket, for the workers.")
        var control: String

        @Option(name: .customLong("firewall"), help: "The firewall the workers enforce.")
        var firewall: String

        @Option(name: .customLong("workers"), help: "How many workers, one per NFQUEUE.")
        var workers: Int

        @Option(name: .customLong("worker-binary"), help: "The worker executable (default: rampart-worker next to this executable).")
        var workerBinary: String?

        @Option(name: .customLong("run-dir"), help: "Where the pid file, logs, worker state and eve.json go (default: /run/rampart-lab/P).")
        var runDir: String?

        @Flag(name: .customLong("fail-open"), help: "Let packets pass when no worker listens (default: fail closed).")
        var failOpen = false

        func validate() throws {
            guard workers >= 1 else {
                throw ValidationError("--workers must be at least 1")
            }
        }

        func run() async throws {
            let lab = try Lab(prefix: prefix, runDirectory: runDir)
            let summary = try await lab.up(
                Lab.UpOptions(
                    controlSocket: control, firewallName: firewall, workerCount: workers,
                    workerBinary: workerBinary, failOpen: failOpen
                )
            )
            print(summary)
        }
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop the lab's workers and delete its namespaces (succeeds when there is nothing to remove)."
        )

        @Option(name: .customLong("prefix"), help: "The prefix given to `lab up`.")
        var prefix: String

        @Option(name: .customLong("run-dir"), help: "The run directory given to `lab up` (default: /run/rampart-lab/P).")
        var runDir: String?

        func run() async throws {
            let lab = try Lab(prefix: prefix, runDirectory: runDir)
            print(try await lab.down())
        }
    }
}
