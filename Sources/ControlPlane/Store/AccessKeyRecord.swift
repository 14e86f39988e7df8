import Foundation
import GRDB

/// A stored access key; the secret only ever sealed.
struct AccessKeyRecord: Sendable {
    var id: String
    var sealedSecret: Data
    var createdAt: Double

    init(id: String, sealedSecret: Data, createdAt: Double) {
        self.id = id
        self.sealedSecret = sealedSecret
        self.createdAt = createdAt
    }

    init(row: Row) {
        id = row["id"]
        sealedSecret = row["secret_sealed"]
        createdAt = row["created_at"]
    }

    static func fetch(_ db: Database, id: String) throws -> AccessKeyRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM access_keys WHERE id = ?", arguments: [id]).map(AccessKeyRecord.init(row:))
    }

    static func all(_ db: Database) throws -> [AccessKeyRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM access_keys ORDER BY created_at, id").map(AccessKeyRecord.init(row:))
    }

    func insert(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO access_keys (id, secret_sealed, created_at) VALUES (?, ?, ?)", arguments: [id, sealedSecret, createdAt])
    }

    /// Whether a key was there to delete.
    static func delete(_ db: Database, id: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM access_keys WHERE id = ?", arguments: [id])
        return db.changesCount > 0
    }
}
