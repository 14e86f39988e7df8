import Foundation
import GRDB
import Shared

/// The tables of resources that are one AWS body plus common metadata, unique by name.
struct NamedResourceTable: Sendable {
    var table: String
    var bodyColumn: String

    static let firewallPolicies = NamedResourceTable(table: "firewall_policies", bodyColumn: "policy_json")
    static let tlsInspectionConfigurations = NamedResourceTable(table: "tls_inspection_configurations", bodyColumn: "configuration_json")
}

/// A stored firewall policy or TLS inspection configuration.
struct NamedResourceRecord<Body: Codable & Sendable>: Sendable {
    var arn: String
    var id: String
    var name: String
    var body: Body
    var description: String?
    var tags: [Tag]
    var updateToken: String
    var lastModified: Double

    init(arn: String, id: String, name: String, body: Body, description: String?, tags: [Tag], updateToken: String, lastModified: Double) {
        self.arn = arn
        self.id = id
        self.name = name
        self.body = body
        self.description = description
        self.tags = tags
        self.updateToken = updateToken
        self.lastModified = lastModified
    }

    init(row: Row, table: NamedResourceTable) throws {
        arn = row["arn"]
        id = row["id"]
        name = row["name"]
        body = try JSONColumn.decode(Body.self, row[table.bodyColumn])
        description = row["description"]
        tags = try JSONColumn.decode([Tag].self, row["tags_json"])
        updateToken = row["update_token"]
        lastModified = row["last_modified"]
    }

    static func fetch(_ db: Database, _ table: NamedResourceTable, arn: String) throws -> Self? {
        try Row.fetchOne(db, sql: "SELECT * FROM \(table.table) WHERE arn = ?", arguments: [arn]).map { try Self(row: $0, table: table) }
    }

    static func fetch(_ db: Database, _ table: NamedResourceTable, name: String) throws -> Self? {
        try Row.fetchOne(db, sql: "SELECT * FROM \(table.table) WHERE name = ?", arguments: [name]).map { try Self(row: $0, table: table) }
    }

    static func page(_ db: Database, _ table: NamedResourceTable, after: String?, limit: Int) throws -> [Self] {
        try Row.fetchAll(db, sql: "SELECT * FROM \(table.table) WHERE name > ? ORDER BY name LIMIT ?", arguments: [after ?? "", limit])
            .map { try Self(row: $0, table: table) }
    }

    func insert(_ db: Database, _ table: NamedResourceTable) throws {
        try db.execute(sql: """
            INSERT INTO \(table.table) (arn, id, name, \(table.bodyColumn), description, tags_json, update_token, last_modified)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [arn, id, name, try JSONColumn.encode(body), description, try JSONColumn.encode(tags), updateToken, lastModified])
    }

    func update(_ db: Database, _ table: NamedResourceTable) throws {
        try db.execute(sql: """
            UPDATE \(table.table) SET \(table.bodyColumn) = ?, description = ?, tags_json = ?, update_token = ?, last_modified = ? WHERE arn = ?
            """, arguments: [try JSONColumn.encode(body), description, try JSONColumn.encode(tags), updateToken, lastModified, arn])
    }

    static func delete(_ db: Database, _ table: NamedResourceTable, arn: String) throws {
        try db.execute(sql: "DELETE FROM \(table.table) WHERE arn = ?", arguments: [arn])
    }
}

typealias FirewallPolicyRecord = NamedResourceRecord<FirewallPolicy>
typealias TLSInspectionConfigurationRecord = NamedResourceRecord<TLSInspectionConfiguration>
