import Foundation
import GRDB
import Shared

/// A stored rule group.
struct RuleGroupRecord: Sendable {
    var arn: String
    var id: String
    var name: String
    var type: RuleGroupType
    var capacity: Int
    var consumedCapacity: Int
    var ruleGroup: RuleGroup
    var description: String?
    var tags: [Tag]
    var updateToken: String
    var lastModified: Double

    init(row: Row) throws {
        arn = row["arn"]
        id = row["id"]
        name = row["name"]
        type = RuleGroupType(rawValue: row["type"]) ?? .STATEFUL
        capacity = row["capacity"]
        consumedCapacity = row["consumed_capacity"]
        ruleGroup = try JSONColumn.decode(RuleGroup.self, row["rule_group_json"])
        description = row["description"]
        tags = try JSONColumn.decode([Tag].self, row["tags_json"])
        updateToken = row["update_token"]
        lastModified = row["last_modified"]
    }

    init(arn: String, id: String, name: String, type: RuleGroupType, capacity: Int, consumedCapacity: Int, ruleGroup: RuleGroup, description: String?, tags: [Tag], updateToken: String, lastModified: Double) {
        self.arn = arn
        self.id = id
        self.name = name
        self.type = type
        self.capacity = capacity
        self.consumedCapacity = consumedCapacity
        self.ruleGroup = ruleGroup
        self.description = description
        self.tags = tags
        self.updateToken = updateToken
        self.lastModified = lastModified
    }

    static func fetch(_ db: Database, arn: String) throws -> RuleGroupRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM rule_groups WHERE arn = ?", arguments: [arn]).map(RuleGroupRecord.init(row:))
    }

    static func fetch(_ db: Database, type: RuleGroupType, name: String) throws -> RuleGroupRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM rule_groups WHERE type = ? AND name = ?", arguments: [type.rawValue, name]).map(RuleGroupRecord.init(row:))
    }

    /// One page ordered by (name, type); `after` is the key of the last row of the previous page.
    static func page(_ db: Database, type: RuleGroupType?, after: String?, limit: Int) throws -> [RuleGroupRecord] {
        var sql = "SELECT * FROM rule_groups WHERE (name || '/' || type) > ?"
        var arguments: StatementArguments = [after ?? ""]
        if let type {
            sql += " AND type = ?"
            arguments += [type.rawValue]
        }
        sql += " ORDER BY name || '/' || type LIMIT ?"
        arguments += [limit]
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(RuleGroupRecord.init(row:))
    }

    var pageKey: String { "\(name)/\(type.rawValue)" }

    func insert(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO rule_groups (arn, id, name, type, capacity, consumed_capacity, rule_group_json, description, tags_json, update_token, last_modified)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [arn, id, name, type.rawValue, capacity, consumedCapacity, try JSONColumn.encode(ruleGroup), description, try JSONColumn.encode(tags), updateToken, lastModified])
    }

    func update(_ db: Database) throws {
        try db.execute(sql: """
            UPDATE rule_groups SET consumed_capacity = ?, rule_group_json = ?, description = ?, tags_json = ?, update_token = ?, last_modified = ?
            WHERE arn = ?
            """, arguments: [consumedCapacity, try JSONColumn.encode(ruleGroup), description, try JSONColumn.encode(tags), updateToken, lastModified, arn])
    }

    static func delete(_ db: Database, arn: String) throws {
        try db.execute(sql: "DELETE FROM rule_groups WHERE arn = ?", arguments: [arn])
    }
}
