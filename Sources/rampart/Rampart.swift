import ArgumentParser
import ControlPlane
import Foundation
import Logging

/// `rampart`: the control plane and operator commands.
@main
struct Rampart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rampart",
        abstract: "A self-hosted network firewall with the resource model of AWS Network Firewall.",
        subcommands: [Serve.self, LabCommand.self]
    )
}

/// `rampart serve --state-dir DIR --listen HOST:PORT`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the control plane: the REST API and the snapshot distributor.")

    @Option(help: "Directory for rampart.db, admin.token, master.key and rampart.sock.")
    var stateDir: String = "./var"

    @Option(help: "Address of the REST API, HOST:PORT.")
    var listen: String = "127.0.0.1:8080"

    @Option(help: "Region used in ARNs.")
    var region: String = "us-east-1"

    @Option(help: "Account id used in ARNs.")
    var accountId: String = "000000000000"

    @Option(help: "Directory of the migrations/*.sql files (default: found next to the binary).")
    var migrations: String?

    @Option(
        name: .customLong("upstream-trust-bundle"),
        help: "A PEM file of CA certificates the TLS engine trusts for upstream servers, besides the system trust store."
    )
    var upstreamTrustBundle: String?

    func run() async throws {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--listen must be HOST:PORT, got \(listen)")
        }
        let host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let configuration = ControlPlaneConfiguration(
            stateDirectory: URL(fileURLWithPath: stateDir, isDirectory: true), host: host, port: port,
            identity: ControlPlaneIdentity(region: region, account: accountId), migrationsDirectory: migrations,
            upstreamTrustBundlePath: upstreamTrustBundle
        )
        try await ControlPlaneServer.run(configuration, logger: Logger(label: "rampart"))
    }
}
