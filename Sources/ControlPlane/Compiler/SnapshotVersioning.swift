import GRDB
import Shared

/// Gives compiled bodies their version: the stored version when the digest is unchanged (a no-op
/// write pushes nothing new), the next version otherwise.
enum SnapshotVersioning {
    static func snapshot(_ db: Database, firewall: FirewallRecord, body: SnapshotBody, now: Double) throws -> Snapshot {
        let digest = try Snapshot.digest(of: body)
        let stored = try Row.fetchOne(db, sql: "SELECT version, digest, created_at FROM snapshots WHERE firewall_arn = ?", arguments: [firewall.arn])
        if let stored, stored["digest"] as String == digest {
            return try Snapshot(version: stored["version"], firewallArn: firewall.arn, firewallName: firewall.name, createdAt: stored["created_at"], body: body)
        }
        let version = (stored?["version"] as Int64? ?? 0) + 1
        try db.execute(sql: """
            INSERT INTO snapshots (firewall_arn, version, digest, created_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (firewall_arn) DO UPDATE SET version = excluded.version, digest = excluded.digest, created_at = excluded.created_at
            """, arguments: [firewall.arn, version, digest, now])
        return try Snapshot(version: UInt64(version), firewallArn: firewall.arn, firewallName: firewall.name, createdAt: now, body: body)
    }

    static func remove(_ db: Database, firewallArn: String) throws {
        try db.execute(sql: "DELETE FROM snapshots WHERE firewall_arn = ?", arguments: [firewallArn])
    }
}
