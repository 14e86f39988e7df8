import Foundation
import GRDB
import Shared

/// A stored firewall.
struct FirewallRecord: Sendable {
    var arn: String
    var id: String
    var name: String
    var policyArn: String
    var vpcId: String?
    var subnetMappings: [SubnetMapping]
    var deleteProtection: Bool
    var subnetChangeProtection: Bool
    var policyChangeProtection: Bool
    var description: String?
    var tags: [Tag]
    var updateToken: String
    var lastModified: Double
    /// nil = logging off.
    var logging: LoggingConfiguration?
    var monitoringDashboard: Bool

    init(arn: String, id: String, name: String, policyArn: String, vpcId: String?, subnetMappings: [SubnetMapping], deleteProtection: Bool, subnetChangeProtection: Bool, policyChangeProtection: Bool, description: String?, tags: [Tag], updateToken: String, lastModified: Double, logging: LoggingConfiguration? = nil, monitoringDashboard: Bool = false) {
        self.arn = arn
        self.id = id
        self.name = name
        self.policyArn = policyArn
        self.vpcId = vpcId
        self.subnetMappings = subnetMappings
        self.deleteProtection = deleteProtection
        self.subnetChangeProtection = subnetChangeProtection
        self.policyChangeProtection = policyChangeProtection
        self.description = description
        self.tags = tags
        self.updateToken = updateToken
        self.lastModified = lastModified
        self.logging = logging
        self.monitoringDashboard = monitoringDashboard
    }

    init(row: Row) throws {
        arn = row["arn"]
        id = row["id"]
        name = row["name"]
        policyArn = row["policy_arn"]
        vpcId = row["vpc_id"]
        subnetMappings = try JSONColumn.decode([SubnetMapping].self, row["subnet_mappings_json"])
        deleteProtection = row["delete_protection"]
        subnetChangeProtection = row["subnet_change_protection"]
        policyChangeProtection = row["policy_change_protection"]
        description = row["description"]
        tags = try JSONColumn.decode([Tag].self, row["tags_json"])
        updateToken = row["update_token"]
        lastModified = row["last_modified"]
        logging = try (row["logging_json"] as String?).map { try JSONColumn.decode(LoggingConfiguration.self, $0) }
        monitoringDashboard = row["monitoring_dashboard"]
    }

    /// The AWS `Firewall` shape.
    var firewall: Firewall {
        Firewall(
            FirewallName: name, FirewallArn: arn, FirewallPolicyArn: policyArn, VpcId: vpcId,
            SubnetMappings: subnetMappings, DeleteProtection: deleteProtection,
            SubnetChangeProtection: subnetChangeProtection, FirewallPolicyChangeProtection: policyChangeProtection,
            Description: description, FirewallId: id, Tags: tags
        )
    }

    static func fetch(_ db: Database, name: String) throws -> FirewallRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM firewalls WHERE name = ?", arguments: [name]).map(FirewallRecord.init(row:))
    }

    static func fetch(_ db: Database, arn: String) throws -> FirewallRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM firewalls WHERE arn = ?", arguments: [arn]).map(FirewallRecord.init(row:))
    }

    static func all(_ db: Database) throws -> [FirewallRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM firewalls ORDER BY name").map(FirewallRecord.init(row:))
    }

    static func page(_ db: Database, after: String?, limit: Int) throws -> [FirewallRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM firewalls WHERE name > ? ORDER BY name LIMIT ?", arguments: [after ?? "", limit]).map(FirewallRecord.init(row:))
    }

    func save(_ db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO firewalls (arn, id, name, policy_arn, vpc_id, subnet_mappings_json, delete_protection, subnet_change_protection,
                policy_change_protection, description, tags_json, update_token, last_modified, logging_json, monitoring_dashboard)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [arn, id, name, policyArn, vpcId, try JSONColumn.encode(subnetMappings), deleteProtection, subnetChangeProtection,
                             policyChangeProtection, description, try JSONColumn.encode(tags), updateToken, lastModified,
                             try logging.map { try JSONColumn.encode($0) }, monitoringDashboard])
    }

    static func delete(_ db: Database, arn: String) throws {
        try db.execute(sql: "DELETE FROM firewalls WHERE arn = ?", arguments: [arn])
    }
}
