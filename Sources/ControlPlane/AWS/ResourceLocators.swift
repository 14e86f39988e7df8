import HTTPTypes
import Shared

/// The `<Resource>Arn` / `<Resource>Name` pair by which AWS operations name a resource: one is
/// required, both may be given and must then agree (reference §2.1). Resolves to the name the
/// services use.
struct ResourceLocator: Sendable {
    let arns: ARNBuilder

    /// - Parameter resources: the ARN resource types this kind of resource has (`firewall`, …).
    func name(arn: String?, name: String?, resources: Set<String>, kind: String, field: String) throws -> (resource: String?, name: String) {
        switch (arn, name) {
        case (nil, nil):
            throw APIError.invalidParameter("\(field)Arn, \(field)Name", "must set at least one of them", context: field)
        case (nil, let name?):
            return (nil, name)
        case (let arn?, let name):
            guard let parsed = arns.parse(arn), resources.contains(parsed.resource) else {
                throw APIError.notFound("No \(kind) with ARN \(arn) exists in \(arns.region) for account \(arns.account)")
            }
            if let name, name != parsed.name {
                throw APIError.invalidParameter("\(field)Name", "does not match the name in \(field)Arn (\(parsed.name))", value: name, context: "\(field)Name")
            }
            return (parsed.resource, parsed.name)
        }
    }
}

/// `RuleGroupArn` / `RuleGroupName` / `Type`: a name alone needs the type, since a stateful and a
/// stateless group may share it.
struct RuleGroupLocator: Decodable, Sendable {
    var RuleGroupArn: String?
    var RuleGroupName: String?
    var `Type`: RuleGroupType?

    func resolve(_ locator: ResourceLocator) throws -> (type: RuleGroupType, name: String) {
        let types: [String: RuleGroupType] = [RuleGroupType.STATEFUL.arnResource: .STATEFUL, RuleGroupType.STATELESS.arnResource: .STATELESS]
        let found = try locator.name(arn: RuleGroupArn, name: RuleGroupName, resources: Set(types.keys), kind: "rule group", field: "RuleGroup")
        if let resource = found.resource, let type = types[resource] {
            if let declared = Type, declared != type {
                throw APIError.invalidParameter("Type", "does not match the type in RuleGroupArn (\(type.rawValue))", value: declared.rawValue, context: "Type")
            }
            return (type, found.name)
        }
        guard let type = Type else {
            throw APIError.invalidParameter("Type", "is required when the rule group is named by RuleGroupName alone", context: "Type")
        }
        return (type, found.name)
    }
}

struct FirewallPolicyLocator: Decodable, Sendable {
    var FirewallPolicyArn: String?
    var FirewallPolicyName: String?

    func resolve(_ locator: ResourceLocator) throws -> String {
        try locator.name(arn: FirewallPolicyArn, name: FirewallPolicyName, resources: ["firewall-policy"], kind: "firewall policy", field: "FirewallPolicy").name
    }
}

struct TLSInspectionConfigurationLocator: Decodable, Sendable {
    var TLSInspectionConfigurationArn: String?
    var TLSInspectionConfigurationName: String?

    func resolve(_ locator: ResourceLocator) throws -> String {
        try locator.name(
            arn: TLSInspectionConfigurationArn, name: TLSInspectionConfigurationName, resources: ["tls-configuration"],
            kind: "TLS inspection configuration", field: "TLSInspectionConfiguration"
        ).name
    }
}

struct FirewallLocator: Decodable, Sendable {
    var FirewallArn: String?
    var FirewallName: String?

    func resolve(_ locator: ResourceLocator) throws -> String {
        try locator.name(arn: FirewallArn, name: FirewallName, resources: ["firewall"], kind: "firewall", field: "Firewall").name
    }
}

/// `MaxResults` / `NextToken` of a list operation.
struct PageRequest: Decodable, Sendable {
    var MaxResults: Int?
    var NextToken: String?

    /// `MaxResults`, 1...100, default 100.
    func maxResults() throws -> Int {
        try FieldValidation.pageSize(MaxResults, field: "MaxResults", range: 1...100, default: 100)
    }
}
