import HTTPTypes
import Shared

/// The Network Firewall operations of the AWS front (`NetworkFirewall_20201112.<Operation>`),
/// each a mapping of the AWS input onto the services the REST front uses.
struct NetworkFirewallOperations: Sendable {
    let services: ResourceServices

    func table() -> AWSOperationTable {
        var table = AWSOperationTable()
        addRuleGroups(to: &table)
        addFirewallPolicies(to: &table)
        addTLSInspectionConfigurations(to: &table)
        addFirewalls(to: &table)
        addTagging(to: &table)
        return table
    }

    private var locator: ResourceLocator { ResourceLocator(arns: services.arns) }

    private func addRuleGroups(to table: inout AWSOperationTable) {
        let service = RuleGroupService(services: services)
        let locator = self.locator
        table.on("CreateRuleGroup") { input in
            try await service.create(try input.decode(CreateRuleGroupRequest.self)).output
        }
        table.on("DescribeRuleGroup") { input in
            let group = try input.decode(RuleGroupLocator.self).resolve(locator)
            return try service.describe(type: group.type, name: group.name)
        }
        table.on("DescribeRuleGroupMetadata") { input in
            let group = try input.decode(RuleGroupLocator.self).resolve(locator)
            return try service.describeMetadata(type: group.type, name: group.name)
        }
        table.on("UpdateRuleGroup") { input in
            let group = try input.decode(RuleGroupLocator.self).resolve(locator)
            return try await service.update(type: group.type, name: group.name, request: try input.decode(UpdateRuleGroupRequest.self))
        }
        table.on("DeleteRuleGroup") { input in
            let group = try input.decode(RuleGroupLocator.self).resolve(locator)
            return try await service.delete(type: group.type, name: group.name)
        }
        table.on("ListRuleGroups") { input in
            let page = try input.decode(PageRequest.self)
            let filter = try input.decode(ListRuleGroupsFilter.self)
            let maxResults = try page.maxResults()
            // Rampart has no managed rule groups: the MANAGED scope is always empty.
            if filter.Scope == "MANAGED" { return ListRuleGroupsOutput(NextToken: nil, RuleGroups: []) }
            if let scope = filter.Scope, scope != "ACCOUNT" {
                throw APIError.invalidParameter("Scope", "must be MANAGED or ACCOUNT", value: scope, context: "Scope")
            }
            if filter.Type == .STATEFUL_DOMAIN { return ListRuleGroupsOutput(NextToken: nil, RuleGroups: []) }
            return try service.list(type: filter.Type, maxResults: maxResults, nextToken: page.NextToken)
        }
    }

    private func addFirewallPolicies(to table: inout AWSOperationTable) {
        let service = FirewallPolicyService(services: services)
        let locator = self.locator
        table.on("CreateFirewallPolicy") { input in
            try await service.create(try input.decode(CreateFirewallPolicyRequest.self)).output
        }
        table.on("DescribeFirewallPolicy") { input in
            try service.describe(name: try input.decode(FirewallPolicyLocator.self).resolve(locator))
        }
        table.on("UpdateFirewallPolicy") { input in
            let name = try input.decode(FirewallPolicyLocator.self).resolve(locator)
            return try await service.update(name: name, request: try input.decode(UpdateFirewallPolicyRequest.self))
        }
        table.on("DeleteFirewallPolicy") { input in
            try await service.delete(name: try input.decode(FirewallPolicyLocator.self).resolve(locator))
        }
        table.on("ListFirewallPolicies") { input in
            let page = try input.decode(PageRequest.self)
            return try service.list(maxResults: try page.maxResults(), nextToken: page.NextToken)
        }
    }

    private func addTLSInspectionConfigurations(to table: inout AWSOperationTable) {
        let service = TLSInspectionConfigurationService(services: services)
        let locator = self.locator
        table.on("CreateTLSInspectionConfiguration") { input in
            try await service.create(try input.decode(CreateTLSInspectionConfigurationRequest.self))
        }
        table.on("DescribeTLSInspectionConfiguration") { input in
            try service.describe(name: try input.decode(TLSInspectionConfigurationLocator.self).resolve(locator))
        }
        table.on("UpdateTLSInspectionConfiguration") { input in
            let name = try input.decode(TLSInspectionConfigurationLocator.self).resolve(locator)
            return try await service.update(name: name, request: try input.decode(UpdateTLSInspectionConfigurationRequest.self))
        }
        table.on("DeleteTLSInspectionConfiguration") { input in
            try await service.delete(name: try input.decode(TLSInspectionConfigurationLocator.self).resolve(locator))
        }
        table.on("ListTLSInspectionConfigurations") { input in
            let page = try input.decode(PageRequest.self)
            return try service.list(maxResults: try page.maxResults(), nextToken: page.NextToken)
        }
    }

    private func addFirewalls(to table: inout AWSOperationTable) {
        let service = FirewallService(services: services)
        let locator = self.locator
        table.on("CreateFirewall") { input in
            try await service.create(try input.decode(CreateFirewallRequest.self))
        }
        table.on("DescribeFirewall") { input in
            try await service.describe(name: try input.decode(FirewallLocator.self).resolve(locator))
        }
        table.on("DeleteFirewall") { input in
            try await service.delete(name: try input.decode(FirewallLocator.self).resolve(locator))
        }
        table.on("ListFirewalls") { input in
            let page = try input.decode(PageRequest.self)
            let vpcIds = try input.decode(ListFirewallsFilter.self).VpcIds
            return try service.list(maxResults: try page.maxResults(), nextToken: page.NextToken, vpcIds: vpcIds)
        }
        table.on("AssociateFirewallPolicy") { input in
            let name = try input.decode(FirewallLocator.self).resolve(locator)
            return try await service.associatePolicy(name: name, request: try input.decode(AssociateFirewallPolicyRequest.self))
        }
        table.on("UpdateFirewallDeleteProtection") { input in
            let name = try input.decode(FirewallLocator.self).resolve(locator)
            return try await service.updateDeleteProtection(name: name, request: try input.decode(UpdateFirewallDeleteProtectionRequest.self))
        }
        table.on("UpdateFirewallPolicyChangeProtection") { input in
            let name = try input.decode(FirewallLocator.self).resolve(locator)
            return try await service.updatePolicyChangeProtection(name: name, request: try input.decode(UpdateFirewallPolicyChangeProtectionRequest.self))
        }
        table.on("UpdateFirewallDescription") { input in
            let name = try input.decode(FirewallLocator.self).resolve(locator)
            return try await service.updateDescription(name: name, request: try input.decode(UpdateFirewallDescriptionRequest.self))
        }
        table.on("DescribeLoggingConfiguration") { input in
            try service.describeLogging(name: try input.decode(FirewallLocator.self).resolve(locator))
        }
        table.on("UpdateLoggingConfiguration") { input in
            let name = try input.decode(FirewallLocator.self).resolve(locator)
            return try await service.updateLogging(name: name, request: try input.decode(UpdateLoggingConfigurationRequest.self))
        }
    }

    private func addTagging(to table: inout AWSOperationTable) {
        let service = TaggingService(services: services)
        table.on("TagResource") { input in
            let request = try input.decode(TagResourceRequest.self)
            try await service.tag(arn: request.ResourceArn, tags: request.Tags)
            return EmptyOutput()
        }
        table.on("UntagResource") { input in
            let request = try input.decode(UntagResourceRequest.self)
            try await service.untag(arn: request.ResourceArn, keys: request.TagKeys)
            return EmptyOutput()
        }
        table.on("ListTagsForResource") { input in
            let request = try input.decode(ListTagsForResourceRequest.self)
            let maxResults = try FieldValidation.pageSize(request.MaxResults, field: "MaxResults", range: 0...100, default: 100)
            return try service.list(arn: request.ResourceArn, maxResults: maxResults, nextToken: request.NextToken)
        }
    }
}

/// The filters of ListRuleGroups.
private struct ListRuleGroupsFilter: Decodable {
    var Scope: String?
    var `Type`: RuleGroupType?
}

/// The filter of ListFirewalls.
private struct ListFirewallsFilter: Decodable {
    var VpcIds: [String]?
}
