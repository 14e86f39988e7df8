import Foundation
import GRDB
import Shared

/// CreateRuleGroup, DescribeRuleGroup, UpdateRuleGroup, DeleteRuleGroup, ListRuleGroups.
struct RuleGroupService: Sendable {
    let services: ResourceServices

    func create(_ request: CreateRuleGroupRequest) async throws -> (output: RuleGroupOutput, created: Bool) {
        try FieldValidation.resourceName(request.RuleGroupName, field: "RuleGroupName")
        try FieldValidation.description(request.Description)
        try FieldValidation.tags(request.Tags)
        try RuleGroupValidation.validateCapacity(request.Capacity)
        let ruleGroup = try Self.body(ruleGroup: request.RuleGroup, rules: request.Rules)
        let consumed = try RuleGroupValidation.validate(ruleGroup, type: request.Type, capacity: request.Capacity)
        let arn = services.arns.ruleGroup(type: request.Type, name: request.RuleGroupName)
        let record = RuleGroupRecord(
            arn: arn, id: ResourceServices.newToken(), name: request.RuleGroupName, type: request.Type,
            capacity: request.Capacity, consumedCapacity: consumed, ruleGroup: ruleGroup,
            description: request.Description, tags: request.Tags ?? [], updateToken: ResourceServices.newToken(),
            lastModified: services.clock()
        )
        if request.DryRun == true {
            return (RuleGroupOutput(UpdateToken: record.updateToken, RuleGroup: ruleGroup, RuleGroupResponse: response(record, associations: 0)), false)
        }
        let output = try await services.write { db in
            if try RuleGroupRecord.fetch(db, arn: arn) != nil {
                throw APIError.invalidRequest("A rule group of type \(request.Type.rawValue) named \(request.RuleGroupName) already exists")
            }
            try record.insert(db)
            return (RuleGroupOutput(UpdateToken: record.updateToken, RuleGroup: nil, RuleGroupResponse: response(record, associations: 0)), [])
        }
        return (output, true)
    }

    func describe(type: RuleGroupType, name: String) throws -> RuleGroupOutput {
        try services.store.read { db in
            let record = try fetch(db, type: type, name: name)
            let associations = try ResourceStore.referrers(db, of: record.arn).count
            return RuleGroupOutput(UpdateToken: record.updateToken, RuleGroup: record.ruleGroup, RuleGroupResponse: response(record, associations: associations))
        }
    }

    func describeMetadata(type: RuleGroupType, name: String) throws -> DescribeRuleGroupMetadataOutput {
        try services.store.read { db in
            let record = try fetch(db, type: type, name: name)
            return DescribeRuleGroupMetadataOutput(
                RuleGroupArn: record.arn, RuleGroupName: record.name, Description: record.description, Type: record.type,
                Capacity: record.capacity, StatefulRuleOptions: record.ruleGroup.StatefulRuleOptions, LastModifiedTime: record.lastModified
            )
        }
    }

    func update(type: RuleGroupType, name: String, request: UpdateRuleGroupRequest) async throws -> RuleGroupOutput {
        try FieldValidation.description(request.Description)
        let ruleGroup = try Self.body(ruleGroup: request.RuleGroup, rules: request.Rules)
        let now = services.clock()
        return try await services.write { db in
            var record = try fetch(db, type: type, name: name)
            guard record.updateToken == request.UpdateToken else { throw APIError.staleToken("rule group \(name)") }
            let consumed = try RuleGroupValidation.validate(ruleGroup, type: type, capacity: record.capacity)
            try checkRuleOrderStillMatches(db, record: record, newOrder: ruleGroup.StatefulRuleOptions?.RuleOrder)
            record.ruleGroup = ruleGroup
            record.consumedCapacity = consumed
            if let description = request.Description { record.description = description }
            record.updateToken = ResourceServices.newToken()
            record.lastModified = now
            let associations = try ResourceStore.referrers(db, of: record.arn).count
            let output = RuleGroupOutput(UpdateToken: record.updateToken, RuleGroup: ruleGroup, RuleGroupResponse: response(record, associations: associations))
            if request.DryRun == true { return (output, []) }
            try record.update(db)
            return (output, [record.arn])
        }
    }

    func delete(type: RuleGroupType, name: String) async throws -> DeleteRuleGroupOutput {
        try await services.write { db in
            let record = try fetch(db, type: type, name: name)
            let users = try ResourceStore.referrers(db, of: record.arn)
            if !users.isEmpty {
                throw APIError.invalidOperation("Rule group \(name) is in use by \(users.joined(separator: ", ")); remove it from those policies first")
            }
            try RuleGroupRecord.delete(db, arn: record.arn)
            var gone = response(record, associations: 0)
            gone.RuleGroupStatus = .DELETING
            return (DeleteRuleGroupOutput(RuleGroupResponse: gone), [])
        }
    }

    func list(type: RuleGroupType?, maxResults: Int, nextToken: String?) throws -> ListRuleGroupsOutput {
        let after = try PageToken.key(from: nextToken)
        return try services.store.read { db in
            let (shown, next) = PageToken.split(try RuleGroupRecord.page(db, type: type, after: after, limit: maxResults + 1), limit: maxResults, key: \.pageKey)
            return ListRuleGroupsOutput(
                NextToken: next,
                RuleGroups: shown.map { ResourceSummary(Name: $0.name, Arn: $0.arn) }
            )
        }
    }

    // MARK: Helpers

    private func fetch(_ db: Database, type: RuleGroupType, name: String) throws -> RuleGroupRecord {
        guard let record = try RuleGroupRecord.fetch(db, type: type, name: name) else {
            throw APIError.notFound("No \(type.rawValue) rule group named \(name) exists")
        }
        return record
    }

    /// A policy's groups must all follow its rule order; an update may not break that.
    private func checkRuleOrderStillMatches(_ db: Database, record: RuleGroupRecord, newOrder: RuleOrder?) throws {
        guard record.type == .STATEFUL else { return }
        let order = newOrder ?? .DEFAULT_ACTION_ORDER
        for policyArn in try ResourceStore.referrers(db, of: record.arn) {
            guard let policy = try FirewallPolicyRecord.fetch(db, .firewallPolicies, arn: policyArn) else { continue }
            let policyOrder = policy.body.StatefulEngineOptions?.RuleOrder ?? .DEFAULT_ACTION_ORDER
            if policyOrder != order {
                throw APIError.invalidParameter("RuleOrder", "must stay \(policyOrder.rawValue): the group is used by policy \(policy.name)", value: order.rawValue, context: "RuleGroup.StatefulRuleOptions.RuleOrder")
            }
        }
    }

    /// Exactly one of `RuleGroup` and the `Rules` shortcut.
    private static func body(ruleGroup: RuleGroup?, rules: String?) throws -> RuleGroup {
        switch (ruleGroup, rules) {
        case (let group?, nil): return group
        case (nil, let rules?): return RuleGroup(RulesSource: RulesSource(RulesString: rules))
        default:
            throw APIError.invalidParameter("RuleGroup, Rules", "must set exactly one of them", context: "RuleGroup")
        }
    }

    private func response(_ record: RuleGroupRecord, associations: Int) -> RuleGroupResponse {
        RuleGroupResponse(
            RuleGroupArn: record.arn, RuleGroupName: record.name, RuleGroupId: record.id, Description: record.description,
            Type: record.type, Capacity: record.capacity, RuleGroupStatus: .ACTIVE, Tags: record.tags,
            ConsumedCapacity: record.consumedCapacity, NumberOfAssociations: associations, LastModifiedTime: record.lastModified
        )
    }
}
