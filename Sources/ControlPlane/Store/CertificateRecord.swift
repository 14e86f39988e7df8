import Foundation
import GRDB
import Shared

/// A stored certificate; the private key only ever sealed.
struct CertificateRecord: Sendable {
    var id: String
    var arn: String
    var certificatePEM: String
    var chainPEM: String?
    var sealedKey: Data
    var detail: CertificateDetail
    var tags: [Tag]
    var createdAt: Double
    var importedAt: Double

    init(id: String, arn: String, certificatePEM: String, chainPEM: String?, sealedKey: Data, detail: CertificateDetail, tags: [Tag], createdAt: Double, importedAt: Double) {
        self.id = id
        self.arn = arn
        self.certificatePEM = certificatePEM
        self.chainPEM = chainPEM
        self.sealedKey = sealedKey
        self.detail = detail
        self.tags = tags
        self.createdAt = createdAt
        self.importedAt = importedAt
    }

    init(row: Row) throws {
        id = row["id"]
        arn = row["arn"]
        certificatePEM = row["certificate_pem"]
        chainPEM = row["chain_pem"]
        sealedKey = row["key_sealed"]
        detail = try JSONColumn.decode(CertificateDetail.self, row["detail_json"])
        tags = try JSONColumn.decode([Tag].self, row["tags_json"])
        createdAt = row["created_at"]
        importedAt = row["imported_at"]
    }

    static func fetch(_ db: Database, id: String) throws -> CertificateRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM certificates WHERE id = ?", arguments: [id]).map(CertificateRecord.init(row:))
    }

    static func fetch(_ db: Database, arn: String) throws -> CertificateRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM certificates WHERE arn = ?", arguments: [arn]).map(CertificateRecord.init(row:))
    }

    static func page(_ db: Database, after: String?, limit: Int) throws -> [CertificateRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM certificates WHERE arn > ? ORDER BY arn LIMIT ?", arguments: [after ?? "", limit]).map(CertificateRecord.init(row:))
    }

    func save(_ db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO certificates (id, arn, certificate_pem, chain_pem, key_sealed, detail_json, tags_json, created_at, imported_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, arn, certificatePEM, chainPEM, sealedKey, try JSONColumn.encode(detail), try JSONColumn.encode(tags), createdAt, importedAt])
    }

    static func delete(_ db: Database, arn: String) throws {
        try db.execute(sql: "DELETE FROM certificates WHERE arn = ?", arguments: [arn])
    }
}
