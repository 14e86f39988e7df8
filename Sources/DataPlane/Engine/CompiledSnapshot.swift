public import Shared
public import Rules
import Synchronization

/// Why a snapshot cannot be enforced; the text of the `nack`.
public struct SnapshotCompileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `DigestMismatch`, `StatelessRules`, `StatefulRules`, `TLSInspection`, `Encoding`.
    public var code: String
    public var message: String
    public var version: UInt64
    public var digest: String

    public init(code: String, message: String, version: UInt64, digest: String) {
        self.code = code
        self.message = message
        self.version = version
        self.digest = digest
    }

    public var description: String { "snapshot \(version) (\(digest.prefix(12))): \(code): \(message)" }
}

/// A snapshot compiled for the packet path: the stateless engine and the stateful rule engine,
/// immutable once built. The packet thread reads the active one once per batch; a reload builds a
/// new one and swaps the reference.
public final class CompiledSnapshot: Sendable {
    private static let generations = Atomic<UInt64>(0)

    /// The snapshot as received (kept for the on-disk cache and for `hello`).
    public let snapshot: Snapshot
    public let stateless: StatelessEngine
    public let stateful: StatefulEngine
    /// Unique per compiled snapshot in this process: flow caches note it and are invalid after a swap.
    public let generation: UInt64
    /// The TCP idle timeout the snapshot asks for, in seconds.
    public let tcpIdleTimeout: Double
    /// What the TLS engine decrypts, and how.
    public let tlsInspection: TLSInspectionPlan

    /// Verifies `snapshot`'s digest and compiles both engines; `actionOrder` reorders the actions of an
    /// action-order rule set (replay's `--action-order`).
    public init(_ snapshot: Snapshot, actionOrder: [RuleAction] = StatefulEngine.defaultActionOrder) throws(SnapshotCompileError) {
        let header = snapshot.header
        func failure(_ code: String, _ message: String) -> SnapshotCompileError {
            SnapshotCompileError(code: code, message: message, version: header.version, digest: header.digest)
        }
        let digestValid: Bool
        do {
            digestValid = try snapshot.verifyDigest()
        } catch {
            throw failure("Encoding", "cannot encode the snapshot body: \(error)")
        }
        guard digestValid else {
            throw failure("DigestMismatch", "the body's SHA-256 is not the header's digest \(header.digest)")
        }
        do {
            stateless = try StatelessEngine(section: snapshot.body.stateless)
        } catch {
            throw failure("StatelessRules", error.description)
        }
        do {
            stateful = try StatefulEngine(section: snapshot.body.stateful, actionOrder: actionOrder)
        } catch {
            throw failure("StatefulRules", error.description)
        }
        do {
            tlsInspection = try TLSInspectionPlan(snapshot.body.tlsInspection)
        } catch {
            throw failure("TLSInspection", error.description)
        }
        self.snapshot = snapshot
        let timeout = snapshot.body.stateful.tcpIdleTimeoutSeconds
        tcpIdleTimeout = timeout > 0 ? Double(timeout) : 350
        generation = CompiledSnapshot.generations.add(1, ordering: .relaxed).newValue
    }

    /// A snapshot of parsed Suricata rules alone (no stateless rules: every packet goes to the rule
    /// engine), in action order — what `replay --rules` enforces.
    public init(rules: [Rule], actionOrder: [RuleAction] = StatefulEngine.defaultActionOrder) throws(SnapshotCompileError) {
        let body = SnapshotBody(
            policyArn: "replay",
            stateless: StatelessSection(
                groups: [], defaultActions: ["aws:forward_to_sfe"], fragmentDefaultActions: ["aws:forward_to_sfe"], customActions: []
            ),
            stateful: StatefulSection(
                ruleOrder: .DEFAULT_ACTION_ORDER, streamExceptionPolicy: .DROP, defaultActions: [],
                groups: [StatefulGroupEntry(arn: "replay", priority: nil, rules: rules.map(\.canonicalText))], tcpIdleTimeoutSeconds: 350
            ),
            tlsInspection: nil
        )
        func failure(_ code: String, _ message: String) -> SnapshotCompileError {
            SnapshotCompileError(code: code, message: message, version: 0, digest: "")
        }
        do {
            snapshot = try Snapshot(version: 0, firewallArn: "replay", firewallName: "replay", createdAt: 0, body: body)
        } catch {
            throw failure("Encoding", "\(error)")
        }
        do {
            stateless = try StatelessEngine(section: body.stateless)
        } catch {
            throw failure("StatelessRules", error.description)
        }
        do {
            stateful = try StatefulEngine(rules: rules, ruleOrder: .DEFAULT_ACTION_ORDER, actionOrder: actionOrder)
        } catch {
            throw failure("StatefulRules", error.description)
        }
        tcpIdleTimeout = 350
        tlsInspection = .none
        generation = CompiledSnapshot.generations.add(1, ordering: .relaxed).newValue
    }

    /// The snapshot's identity.
    public var header: SnapshotHeader { snapshot.header }
}
