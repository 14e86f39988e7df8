import Foundation
import GRDB
import Shared

/// CreateFirewallPolicy, DescribeFirewallPolicy, UpdateFirewallPolicy, DeleteFirewallPolicy, ListFirewallPolicies.
struct FirewallPolicyService: Sendable {
    let services: ResourceServices

    func create(_ request: CreateFirewallPolicyRequest) async throws -> (output: FirewallPolicyOutput, created: Bool) {
        try FieldValidation.resourceName(request.FirewallPolicyName, field: "FirewallPolicyName")
        try FieldValidation.description(request.Description)
        try FieldValidation.tags(request.Tags)
        let arn = services.arns.firewallPolicy(name: request.FirewallPolicyName)
        let record = FirewallPolicyRecord(
            arn: arn, id: ResourceServices.newToken(), name: request.FirewallPolicyName, body: request.FirewallPolicy,
            description: request.Description, tags: request.Tags ?? [], updateToken: ResourceServices.newToken(), lastModified: services.clock()
        )
        let arns = services.arns
        let dryRun = request.DryRun == true
        let output = try await services.write { db in
            if try FirewallPolicyRecord.fetch(db, .firewallPolicies, arn: arn) != nil {
                throw APIError.invalidRequest("A firewall policy named \(request.FirewallPolicyName) already exists")
            }
            let result = try FirewallPolicyValidation.validate(db, request.FirewallPolicy, arns: arns)
            let output = FirewallPolicyOutput(UpdateToken: record.updateToken, FirewallPolicy: dryRun ? request.FirewallPolicy : nil, FirewallPolicyResponse: response(record, result: result, associations: 0))
            if dryRun { return (output, []) }
            try record.insert(db, .firewallPolicies)
            try ResourceStore.setReferences(db, from: arn, to: result.references)
            return (output, [])
        }
        return (output, !dryRun)
    }

    func describe(name: String) throws -> FirewallPolicyOutput {
        try services.store.read { db in
            let record = try fetch(db, name: name)
            let result = try FirewallPolicyValidation.consumedCapacity(db, record.body)
            let associations = try ResourceStore.referrers(db, of: record.arn).count
            return FirewallPolicyOutput(UpdateToken: record.updateToken, FirewallPolicy: record.body, FirewallPolicyResponse: response(record, result: result, associations: associations))
        }
    }

    func update(name: String, request: UpdateFirewallPolicyRequest) async throws -> FirewallPolicyOutput {
        try FieldValidation.description(request.Description)
        let arns = services.arns
        let now = services.clock()
        return try await services.write { db in
            var record = try fetch(db, name: name)
            guard record.updateToken == request.UpdateToken else { throw APIError.staleToken("firewall policy \(name)") }
            let result = try FirewallPolicyValidation.validate(db, request.FirewallPolicy, arns: arns)
            record.body = request.FirewallPolicy
            if let description = request.Description { record.description = description }
            record.updateToken = ResourceServices.newToken()
            record.lastModified = now
            let associations = try ResourceStore.referrers(db, of: record.arn).count
            let output = FirewallPolicyOutput(UpdateToken: record.updateToken, FirewallPolicy: record.body, FirewallPolicyResponse: response(record, result: result, associations: associations))
            if request.DryRun == true { return (output, []) }
            try record.update(db, .firewallPolicies)
            try ResourceStore.setReferences(db, from: record.arn, to: result.references)
            return (output, [record.arn])
        }
    }

    func delete(name: String) async throws -> DeleteFirewallPolicyOutput {
        try await services.write { db in
            let record = try fetch(db, name: name)
            let users = try ResourceStore.referrers(db, of: record.arn)
            if !users.isEmpty {
                throw APIError.invalidOperation("Firewall policy \(name) is in use by \(users.joined(separator: ", ")); associate those firewalls with another policy first")
            }
            let result = try FirewallPolicyValidation.consumedCapacity(db, record.body)
            try FirewallPolicyRecord.delete(db, .firewallPolicies, arn: record.arn)
            try ResourceStore.setReferences(db, from: record.arn, to: [])
            var gone = response(record, result: result, associations: 0)
            gone.FirewallPolicyStatus = .DELETING
            return (DeleteFirewallPolicyOutput(FirewallPolicyResponse: gone), [])
        }
    }

    func list(maxResults: Int, nextToken: String?) throws -> ListFirewallPoliciesOutput {
        let after = try PageToken.key(from: nextToken)
        return try services.store.read { db in
            let (shown, next) = PageToken.split(try FirewallPolicyRecord.page(db, .firewallPolicies, after: after, limit: maxResults + 1), limit: maxResults, key: \.name)
            return ListFirewallPoliciesOutput(
                NextToken: next,
                FirewallPolicies: shown.map { ResourceSummary(Name: $0.name, Arn: $0.arn) }
            )
        }
    }

    private func fetch(_ db: Database, name: String) throws -> FirewallPolicyRecord {
        guard let record = try FirewallPolicyRecord.fetch(db, .firewallPolicies, name: name) else {
            throw APIError.notFound("No firewall policy named \(name) exists")
        }
        return record
    }

    private func response(_ record: FirewallPolicyRecord, result: FirewallPolicyValidation.Result, associations: Int) -> FirewallPolicyResponse {
        FirewallPolicyResponse(
            FirewallPolicyName: record.name, FirewallPolicyArn: record.arn, FirewallPolicyId: record.id,
            Description: record.description, FirewallPolicyStatus: .ACTIVE, Tags: record.tags,
            ConsumedStatelessRuleCapacity: result.consumedStateless, ConsumedStatefulRuleCapacity: result.consumedStateful,
            ConsumedStatefulDomainCapacity: 0, NumberOfAssociations: associations, LastModifiedTime: record.lastModified
        )
    }
}
