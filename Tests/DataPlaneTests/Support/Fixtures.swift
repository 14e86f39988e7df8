@testable import DataPlane
import Shared

/// Snapshot and rule fixtures.
enum Fixtures {
    static func rule(
        _ priority: Int, _ actions: [String], sources: [String]? = nil, destinations: [String]? = nil,
        sourcePorts: [(Int, Int)]? = nil, destinationPorts: [(Int, Int)]? = nil, protocols: [Int]? = nil,
        tcpFlags: [TCPFlagField]? = nil
    ) -> StatelessRule {
        StatelessRule(
            RuleDefinition: RuleDefinition(
                MatchAttributes: MatchAttributes(
                    Sources: sources?.map { Address(AddressDefinition: $0) },
                    Destinations: destinations?.map { Address(AddressDefinition: $0) },
                    SourcePorts: sourcePorts?.map { PortRange(FromPort: $0.0, ToPort: $0.1) },
                    DestinationPorts: destinationPorts?.map { PortRange(FromPort: $0.0, ToPort: $0.1) },
                    Protocols: protocols, TCPFlags: tcpFlags
                ),
                Actions: actions
            ),
            Priority: priority
        )
    }

    static func metricAction(_ name: String, _ value: String) -> CustomAction {
        CustomAction(
            ActionName: name,
            ActionDefinition: ActionDefinition(PublishMetricAction: PublishMetricAction(Dimensions: [Dimension(Value: value)]))
        )
    }

    static func stateless(
        _ groups: [[StatelessRule]] = [], defaultActions: [String] = ["aws:forward_to_sfe"],
        fragmentDefaultActions: [String] = ["aws:forward_to_sfe"], groupCustomActions: [CustomAction] = [],
        customActions: [CustomAction] = []
    ) -> StatelessSection {
        StatelessSection(
            groups: groups.enumerated().map { index, rules in
                StatelessGroupEntry(
                    arn: "arn:aws:network-firewall:us-east-1:111111111111:stateless-rulegroup/g\(index)",
                    priority: (index + 1) * 10, rules: rules, customActions: groupCustomActions
                )
            },
            defaultActions: defaultActions, fragmentDefaultActions: fragmentDefaultActions, customActions: customActions
        )
    }

    static func stateful(
        _ rules: [String] = [], order: RuleOrder = .DEFAULT_ACTION_ORDER, defaultActions: [String] = [],
        tcpIdleTimeout: Int = 350
    ) -> StatefulSection {
        StatefulSection(
            ruleOrder: order, streamExceptionPolicy: .DROP, defaultActions: defaultActions,
            groups: rules.isEmpty ? [] : [
                StatefulGroupEntry(arn: "arn:aws:network-firewall:us-east-1:111111111111:stateful-rulegroup/s", priority: 1, rules: rules),
            ],
            tcpIdleTimeoutSeconds: tcpIdleTimeout
        )
    }

    static func snapshot(
        version: UInt64 = 1, firewall: String = "fw", stateless: StatelessSection = stateless(),
        stateful: StatefulSection = stateful(), tlsInspection: TLSInspectionSection? = nil
    ) -> Snapshot {
        do {
            return try Snapshot(
                version: version, firewallArn: "arn:aws:network-firewall:us-east-1:111111111111:firewall/\(firewall)",
                firewallName: firewall, createdAt: 1_700_000_000,
                body: SnapshotBody(policyArn: "arn:aws:network-firewall:us-east-1:111111111111:firewall-policy/p", stateless: stateless, stateful: stateful, tlsInspection: tlsInspection)
            )
        } catch {
            fatalError("fixture snapshot: \(error)")
        }
    }

    static func compiled(_ snapshot: Snapshot) -> CompiledSnapshot {
        do {
            return try CompiledSnapshot(snapshot)
        } catch {
            fatalError("fixture snapshot does not compile: \(error)")
        }
    }
}
