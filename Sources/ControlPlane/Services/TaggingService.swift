import HTTPTypes
import GRDB
import Shared

/// TagResource, UntagResource and ListTagsForResource for every Network Firewall resource, by
/// ARN. Tags are metadata: changing them neither rotates update tokens nor recompiles snapshots.
struct TaggingService: Sendable {
    let services: ResourceServices

    /// At most this many tags on one resource.
    static let maximumTagsPerResource = 200

    func tag(arn: String, tags: [Tag]) async throws {
        try FieldValidation.tags(tags)
        let table = try table(of: arn)
        try await services.write { db in
            let merged = ResourceTags.merge(try current(db, table, arn: arn), tags)
            if merged.count > Self.maximumTagsPerResource {
                throw APIError.invalidParameter("Tags", "would leave \(merged.count) tags on the resource; at most \(Self.maximumTagsPerResource) are allowed", context: "Tags")
            }
            try ResourceTags.write(db, table, arn: arn, tags: merged)
            return ((), [])
        }
    }

    func untag(arn: String, keys: [String]) async throws {
        guard !keys.isEmpty else { throw APIError.invalidParameter("TagKeys", "must hold at least one key", context: "TagKeys") }
        let table = try table(of: arn)
        try await services.write { db in
            let remaining = try current(db, table, arn: arn).filter { !keys.contains($0.Key) }
            try ResourceTags.write(db, table, arn: arn, tags: remaining)
            return ((), [])
        }
    }

    func list(arn: String, maxResults: Int, nextToken: String?) throws -> ListTagsForResourceOutput {
        let table = try table(of: arn)
        let start = try nextToken.map { token -> Int in
            guard let offset = Int(token), offset >= 0 else {
                throw APIError.invalidParameter("NextToken", "is not a token this API returned", value: token, context: "NextToken")
            }
            return offset
        } ?? 0
        let tags = try services.store.read { db in try current(db, table, arn: arn) }
        // MaxResults 0 (which the model allows) is read as "the default page".
        let limit = maxResults == 0 ? 100 : maxResults
        let page = Array(tags.dropFirst(start).prefix(limit))
        let next = start + page.count < tags.count ? String(start + page.count) : nil
        return ListTagsForResourceOutput(NextToken: next, Tags: page)
    }

    private func current(_ db: Database, _ table: ResourceTags.Table, arn: String) throws -> [Tag] {
        guard let tags = try ResourceTags.read(db, table, arn: arn) else {
            throw APIError.notFound("No resource with ARN \(arn) exists")
        }
        return tags
    }

    private func table(of arn: String) throws -> ResourceTags.Table {
        guard let (resource, _) = services.arns.parse(arn) else {
            throw APIError.notFound("No resource with ARN \(arn) exists in \(services.arns.region) for account \(services.arns.account)")
        }
        switch resource {
        case RuleGroupType.STATEFUL.arnResource, RuleGroupType.STATELESS.arnResource: return .ruleGroups
        case "firewall-policy": return .firewallPolicies
        case "tls-configuration": return .tlsInspectionConfigurations
        case "firewall": return .firewalls
        default: throw APIError.notFound("No resource with ARN \(arn) exists")
        }
    }
}
