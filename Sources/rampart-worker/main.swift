import ArgumentParser
import DataPlane
import Foundation
import Shared

/// `rampart-worker`: a data-plane worker process. Thin: parses arguments and hands over to DataPlane.
struct RampartWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rampart-worker",
        abstract: "Rampart data-plane worker.",
        subcommands: [Run.self, Replay.self]
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

    @Option(name: .customLong("tls-port"), help: "The TLS engine's transparent listener port (0: no TLS engine).")
    var tlsPort: UInt16 = TLSDiversion.defaultPort

    @Option(name: .customLong("tls-threads"), help: "The TLS engine's threads.")
    var tlsThreads = 1

    func validate() throws {
        guard maxFlows > 0 else { throw ValidationError("--max-flows must be positive") }
        guard (1...64).contains(tlsThreads) else { throw ValidationError("--tls-threads must be between 1 and 64") }
        guard !firewall.isEmpty, !firewall.contains("/") else { throw ValidationError("--firewall must be a plain name") }
    }

    func run() throws {
        let configuration = WorkerConfiguration(
            queue: queue, controlPath: control, firewallName: firewall, stateDirectory: stateDirectory, evePath: eve,
            failOpen: failOpen, maximumFlows: maxFlows, dropMalformed: !passMalformed,
            tlsPort: tlsPort == 0 ? nil : tlsPort, tlsThreads: tlsThreads
        )
        try WorkerService(configuration: configuration, log: .standardError(prefix: "rampart-worker[q\(queue)]")).run()
    }
}

/// `rampart-worker replay --pcap FILE (--rules FILE | --snapshot FILE) [--eve FILE] …`.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a capture through the worker's packet path offline and write EVE JSON lines."
    )

    @Option(help: "The capture to replay (pcap or pcapng; Ethernet, raw IP, Linux cooked or null link types).")
    var pcap: String

    @Option(help: "A Suricata rules file (rules that cannot be loaded are reported on stderr and skipped).")
    var rules: String?

    @Option(help: "A snapshot JSON file, as the control plane pushes it to workers.")
    var snapshot: String?

    @Option(help: "EVE JSON output file (default: standard output).")
    var eve: String?

    @Flag(help: "Inline mode, as Suricata's --simulate-ips: drop and reject take effect.")
    var ips = false

    @Flag(help: "Pick up TCP sessions without their handshake.")
    var midstream = false

    @Option(
        name: .customLong("stream-inline"),
        help: "Inspect TCP stream data as it arrives (yes) or once its receiver acknowledged it (no, IDS mode); auto is yes with --ips (Suricata's stream.inline)."
    )
    var streamInline = "auto"

    @Option(
        name: .customLong("urgent-policy"),
        help: "What the stream engine does with TCP urgent data: inline (a byte like any other) or oob (the byte the urgent pointer marks leaves the stream), Suricata's stream.reassembly.urgent.policy."
    )
    var urgentPolicy = "inline"

    @Flag(
        name: .customLong("async-oneside"),
        help: "Let a SYN and the client's ACK establish a session whose SYN-ACK is not in the capture (Suricata's stream.async-oneside)."
    )
    var asyncOneSide = false

    @Option(
        name: .customLong("midstream-policy"),
        help: "Without --midstream, what becomes of TCP sessions picked up without their handshake: auto (drop-flow with --ips, else ignore), ignore or drop-flow (Suricata's stream.midstream-policy)."
    )
    var midstreamPolicy = "auto"

    @Option(
        name: .customLong("tls-encryption-handling"),
        help: "Once a TLS connection carries encrypted application data: default (rules with payload keywords no longer inspect its bytes) or full (they still do), Suricata's app-layer.protocols.tls.encryption-handling."
    )
    var tlsEncryptionHandling = "default"

    @Flag(name: .customLong("no-checksum-validation"), help: "Inspect packets with wrong checksums too (Suricata's -k none).")
    var noChecksumValidation = false

    @Option(name: .customLong("action-order"), help: "The action order of a rules file, e.g. pass,drop,reject,alert.")
    var actionOrder = "pass,drop,reject,alert"

    func validate() throws {
        guard (rules == nil) != (snapshot == nil) else { throw ValidationError("give exactly one of --rules and --snapshot") }
        guard ["auto", "yes", "no"].contains(streamInline) else { throw ValidationError("--stream-inline must be auto, yes or no") }
        guard UrgentPolicy(rawValue: urgentPolicy) != nil else { throw ValidationError("--urgent-policy must be inline or oob") }
        guard TLSEncryptionHandling(rawValue: tlsEncryptionHandling) != nil else {
            throw ValidationError("--tls-encryption-handling must be default or full")
        }
        guard midstreamPolicy == "auto" || MidstreamPolicy(rawValue: midstreamPolicy) != nil else {
            throw ValidationError("--midstream-policy must be auto, ignore or drop-flow")
        }
    }

    func run() throws {
        let source: ReplaySettings.RuleSource = rules.map { .rulesFile($0) } ?? .snapshotFile(snapshot!)
        let settings = ReplaySettings(
            capturePath: pcap, rules: source, evePath: eve, ips: ips, midstream: midstream,
            midstreamPolicy: MidstreamPolicy(rawValue: midstreamPolicy), streamInline: streamInline == "auto" ? nil : streamInline == "yes",
            asyncOneSide: asyncOneSide, urgentPolicy: UrgentPolicy(rawValue: urgentPolicy) ?? .inline, validateChecksums: !noChecksumValidation, actionOrder: actionOrder.split(separator: ",").map(String.init),
            tlsEncryptionHandling: TLSEncryptionHandling(rawValue: tlsEncryptionHandling) ?? .default
        )
        let runner = ReplayRunner(settings: settings) { line in
            FileHandle.standardError.write(Data("rampart-worker replay: \(line)\n".utf8))
        }
        do {
            let summary = try runner.run()
            let text = "rampart-worker replay: \(summary.packets) packets, \(summary.alerts) alerts, \(summary.drops) dropped, "
                + "\(summary.rulesLoaded) rules loaded, \(summary.rulesRefused) refused, \(summary.badChecksums) bad checksums\n"
            FileHandle.standardError.write(Data(text.utf8))
        } catch {
            throw ValidationError(error.description)
        }
    }
}

RampartWorker.main()
