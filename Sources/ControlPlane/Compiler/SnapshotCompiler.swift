import Foundation
import GRDB
import Rules
import Shared

/// Turns one firewall (its policy, the policy's rule groups, TLS configuration and certificates)
/// into the body of a snapshot: stateless groups by priority with their rules by priority; stateful
/// rules parsed with the group's and the policy's variables and rendered back as canonical text (a
/// domain list first becomes the rules AWS generates for it, `DomainListRenderer`, so a worker only
/// ever sees plain Suricata text);
/// certificates resolved to PEM with their keys opened. Deterministic: the same stored inputs give
/// the same body and so the same digest.
struct SnapshotCompiler {
    let vault: KeyVault
    /// Certificates the TLS engine trusts for upstream servers besides the system store.
    var upstreamTrustBundlePEM: String?

    /// The default idle timeout of TCP flows, as AWS documents it.
    static let defaultTcpIdleTimeout = 350

    func compile(_ db: Database, firewall: FirewallRecord) throws -> SnapshotBody {
        guard let policyRecord = try FirewallPolicyRecord.fetch(db, .firewallPolicies, arn: firewall.policyArn) else {
            throw CompileError.missing(firewall.policyArn)
        }
        let policy = policyRecord.body
        var statelessGroups: [StatelessGroupEntry] = []
        for reference in (policy.StatelessRuleGroupReferences ?? []).sorted(by: { $0.Priority < $1.Priority }) {
            guard let group = try RuleGroupRecord.fetch(db, arn: reference.ResourceArn),
                  let stateless = group.ruleGroup.RulesSource.StatelessRulesAndCustomActions
            else { throw CompileError.missing(reference.ResourceArn) }
            statelessGroups.append(StatelessGroupEntry(
                arn: group.arn, priority: reference.Priority,
                rules: stateless.StatelessRules.sorted { $0.Priority < $1.Priority },
                customActions: stateless.CustomActions ?? []
            ))
        }
        let ruleOrder = policy.StatefulEngineOptions?.RuleOrder ?? .DEFAULT_ACTION_ORDER
        var references = policy.StatefulRuleGroupReferences ?? []
        if ruleOrder == .STRICT_ORDER {
            references.sort { ($0.Priority ?? 0) < ($1.Priority ?? 0) }
        }
        var statefulGroups: [StatefulGroupEntry] = []
        for reference in references {
            guard let group = try RuleGroupRecord.fetch(db, arn: reference.ResourceArn) else { throw CompileError.missing(reference.ResourceArn) }
            let rules = try RuleGroupValidation.parseStateful(group.ruleGroup, policyVariables: policy.PolicyVariables)
            statefulGroups.append(StatefulGroupEntry(arn: group.arn, priority: reference.Priority, rules: rules.map(\.canonicalText)))
        }
        let stateful = StatefulSection(
            ruleOrder: ruleOrder,
            streamExceptionPolicy: policy.StatefulEngineOptions?.StreamExceptionPolicy ?? .DROP,
            defaultActions: policy.StatefulDefaultActions ?? [],
            groups: statefulGroups,
            tcpIdleTimeoutSeconds: policy.StatefulEngineOptions?.FlowTimeouts?.TcpIdleTimeoutSeconds ?? Self.defaultTcpIdleTimeout
        )
        let stateless = StatelessSection(
            groups: statelessGroups,
            defaultActions: policy.StatelessDefaultActions,
            fragmentDefaultActions: policy.StatelessFragmentDefaultActions,
            customActions: policy.StatelessCustomActions ?? []
        )
        return SnapshotBody(
            policyArn: policyRecord.arn, stateless: stateless, stateful: stateful,
            tlsInspection: try tlsSection(db, policy: policy)
        )
    }

    private func tlsSection(_ db: Database, policy: FirewallPolicy) throws -> TLSInspectionSection? {
        guard let arn = policy.TLSInspectionConfigurationArn else { return nil }
        guard let record = try TLSInspectionConfigurationRecord.fetch(db, .tlsInspectionConfigurations, arn: arn) else { throw CompileError.missing(arn) }
        let entries = try (record.body.ServerCertificateConfigurations ?? []).map { configuration in
            TLSInspectionEntry(
                scopes: configuration.Scopes ?? [],
                authority: try configuration.CertificateAuthorityArn.map { try material(db, arn: $0) },
                serverCertificates: try (configuration.ServerCertificates ?? []).compactMap(\.ResourceArn).map { try material(db, arn: $0) },
                revokedStatusAction: configuration.CheckCertificateRevocationStatus?.RevokedStatusAction,
                unknownStatusAction: configuration.CheckCertificateRevocationStatus?.UnknownStatusAction
            )
        }
        return TLSInspectionSection(
            configurationArn: arn, sessionHolding: policy.EnableTLSSessionHolding ?? false, configurations: entries,
            upstreamTrustBundlePEM: upstreamTrustBundlePEM
        )
    }

    private func material(_ db: Database, arn: String) throws -> CertificateMaterial {
        guard let certificate = try CertificateRecord.fetch(db, arn: arn) else { throw CompileError.missing(arn) }
        let key = try vault.open(certificate.sealedKey, boundTo: certificate.arn)
        return CertificateMaterial(
            arn: arn, certificatePEM: certificate.certificatePEM, chainPEM: certificate.chainPEM,
            privateKeyPEM: String(decoding: key, as: UTF8.self)
        )
    }
}

/// Why a firewall could not be compiled.
enum CompileError: Error, CustomStringConvertible {
    /// A resource the firewall uses is gone (a reference the services should have prevented).
    case missing(String)

    var description: String {
        switch self {
        case .missing(let arn): "firewall configuration references \(arn), which does not exist"
        }
    }
}
