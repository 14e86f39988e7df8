import GRDB
import Shared

/// The `tags_json` column every resource table has, read and written by ARN.
enum ResourceTags {
    /// The tables that carry tags.
    enum Table: String, Sendable {
        case ruleGroups = "rule_groups"
        case firewallPolicies = "firewall_policies"
        case tlsInspectionConfigurations = "tls_inspection_configurations"
        case firewalls
        case certificates
    }

    /// The tags of a resource, nil when there is no such resource.
    static func read(_ db: Database, _ table: Table, arn: String) throws -> [Tag]? {
        try String.fetchOne(db, sql: "SELECT tags_json FROM \(table.rawValue) WHERE arn = ?", arguments: [arn])
            .map { try JSONColumn.decode([Tag].self, $0) }
    }

    static func write(_ db: Database, _ table: Table, arn: String, tags: [Tag]) throws {
        try db.execute(sql: "UPDATE \(table.rawValue) SET tags_json = ? WHERE arn = ?", arguments: [try JSONColumn.encode(tags), arn])
    }

    /// `current` with `added` merged in: a key already there takes the new value, in place.
    static func merge(_ current: [Tag], _ added: [Tag]) -> [Tag] {
        var merged = current
        for tag in added {
            if let index = merged.firstIndex(where: { $0.Key == tag.Key }) {
                merged[index] = tag
            } else {
                merged.append(tag)
            }
        }
        return merged
    }
}
