import GRDB

/// The use graph: who references whom.
extension ResourceStore {
    /// Replaces every reference `from` holds.
    static func setReferences(_ db: Database, from: String, to targets: [String]) throws {
        try db.execute(sql: "DELETE FROM resource_references WHERE from_arn = ?", arguments: [from])
        for target in Set(targets) {
            try db.execute(sql: "INSERT INTO resource_references (from_arn, to_arn) VALUES (?, ?)", arguments: [from, target])
        }
    }

    /// Every ARN that references `target`, sorted.
    static func referrers(_ db: Database, of target: String) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT from_arn FROM resource_references WHERE to_arn = ? ORDER BY from_arn", arguments: [target])
    }

    /// Every firewall that uses `arn`, directly or through a policy or TLS configuration.
    static func firewallsUsing(_ db: Database, arn: String) throws -> [String] {
        try String.fetchAll(db, sql: """
            WITH RECURSIVE users(arn) AS (
                SELECT ?
                UNION
                SELECT r.from_arn FROM resource_references r JOIN users u ON r.to_arn = u.arn
            )
            SELECT f.arn FROM firewalls f JOIN users u ON f.arn = u.arn ORDER BY f.arn
            """, arguments: [arn])
    }
}
