import Foundation
import Shared

/// Builds and reads the AWS-form ARNs of Rampart's resources for one region and account.
struct ARNBuilder: Sendable {
    let region: String
    let account: String

    private var networkFirewallPrefix: String { "arn:aws:network-firewall:\(region):\(account):" }

    func ruleGroup(type: RuleGroupType, name: String) -> String { networkFirewallPrefix + "\(type.arnResource)/\(name)" }
    func firewallPolicy(name: String) -> String { networkFirewallPrefix + "firewall-policy/\(name)" }
    func tlsInspectionConfiguration(name: String) -> String { networkFirewallPrefix + "tls-configuration/\(name)" }
    func firewall(name: String) -> String { networkFirewallPrefix + "firewall/\(name)" }
    func certificate(id: String) -> String { "arn:aws:acm:\(region):\(account):certificate/\(id)" }

    /// The kind and name of a Network Firewall ARN of this region and account, or nil.
    func parse(_ arn: String) -> (resource: String, name: String)? {
        guard arn.hasPrefix(networkFirewallPrefix) else { return nil }
        let rest = arn.dropFirst(networkFirewallPrefix.count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let name = rest[rest.index(after: slash)...]
        guard !name.isEmpty else { return nil }
        return (String(rest[..<slash]), String(name))
    }

    /// The certificate id of an ACM ARN of this region and account, or nil.
    func certificateId(_ arn: String) -> String? {
        let prefix = "arn:aws:acm:\(region):\(account):certificate/"
        guard arn.hasPrefix(prefix) else { return nil }
        let id = String(arn.dropFirst(prefix.count))
        return UUID(uuidString: id) == nil ? nil : id.lowercased()
    }
}

/// The identity a control plane gives its resources.
public struct ControlPlaneIdentity: Sendable {
    public var region: String
    public var account: String

    public init(region: String = "us-east-1", account: String = "000000000000") {
        self.region = region
        self.account = account
    }
}
