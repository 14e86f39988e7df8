import Foundation
import GRDB
import Logging
import Shared

/// What every service needs: the store, the key vault, ARNs, the worker registry and a clock.
/// Every write runs in one database transaction that also recompiles the snapshots of the
/// firewalls it touches; the snapshots are published only after the commit, so a refused write
/// changes nothing anywhere.
struct ResourceServices: Sendable {
    let store: ResourceStore
    let vault: KeyVault
    let arns: ARNBuilder
    let registry: WorkerRegistry
    let logger: Logger
    let clock: @Sendable () -> Double
    /// The operator's upstream trust bundle (`rampart serve --upstream-trust-bundle`), as PEM.
    var upstreamTrustBundlePEM: String?

    var compiler: SnapshotCompiler { SnapshotCompiler(vault: vault, upstreamTrustBundlePEM: upstreamTrustBundlePEM) }

    /// A fresh update token.
    static func newToken() -> String { UUID().uuidString.lowercased() }

    /// Runs `body` in a write transaction, recompiling every firewall that uses any of the ARNs it
    /// reports as changed, then publishes the new snapshots.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> (result: T, changed: [String])) async throws -> T {
        let now = clock()
        let compiler = self.compiler
        let (result, snapshots) = try store.write { db -> (T, [Snapshot]) in
            let (result, changed) = try body(db)
            var firewalls = Set<String>()
            for arn in changed {
                firewalls.formUnion(try ResourceStore.firewallsUsing(db, arn: arn))
            }
            var snapshots: [Snapshot] = []
            for arn in firewalls.sorted() {
                guard let firewall = try FirewallRecord.fetch(db, arn: arn) else { continue }
                let snapshotBody = try compiler.compile(db, firewall: firewall)
                snapshots.append(try SnapshotVersioning.snapshot(db, firewall: firewall, body: snapshotBody, now: now))
            }
            return (result, snapshots)
        }
        for snapshot in snapshots {
            await registry.publish(snapshot)
        }
        return result
    }

    /// Compiles every firewall and publishes the results; run once at start.
    func publishAll() async throws {
        _ = try await write { db in ((), try FirewallRecord.all(db).map(\.arn)) }
    }
}
