import Rules
import Shared
import Testing

@Suite("RuleCapacity")
struct RuleCapacityTests {
    static func addresses(_ count: Int) -> [Address] {
        (0..<count).map { Address(AddressDefinition: "10.0.\($0).0/24") }
    }

    static func rule(_ match: MatchAttributes, priority: Int = 1) -> StatelessRule {
        StatelessRule(RuleDefinition: RuleDefinition(MatchAttributes: match, Actions: ["aws:pass"]), Priority: priority)
    }

    @Test func referenceExamples() {
        #expect(RuleCapacity.stateless([Self.rule(MatchAttributes(Sources: Self.addresses(3), Protocols: [17, 6]))]) == 6)
        #expect(RuleCapacity.stateless([
            Self.rule(MatchAttributes(Sources: Self.addresses(3), Destinations: Self.addresses(5), Protocols: Array(0..<30))),
        ]) == 450)
        #expect(RuleCapacity.stateless([Self.rule(MatchAttributes())]) == 1)
    }

    @Test func emptyListsCountOneAndRulesAdd() {
        let rules = [
            Self.rule(MatchAttributes(Sources: [], Destinations: Self.addresses(2)), priority: 1),
            Self.rule(
                MatchAttributes(
                    SourcePorts: [PortRange(FromPort: 1, ToPort: 2), PortRange(FromPort: 5, ToPort: 6)],
                    DestinationPorts: [PortRange(FromPort: 80, ToPort: 80)], Protocols: [6],
                    TCPFlags: [TCPFlagField(Flags: [.SYN], Masks: nil), TCPFlagField(Flags: [.ACK], Masks: nil)]
                ),
                priority: 2
            ),
        ]
        #expect(RuleCapacity.stateless(rules) == 2 + 4)
        #expect(RuleCapacity.stateless([]) == 0)
    }

    @Test func statefulRulesString() {
        let text = """
            # header comment
            alert tcp any any -> any 80 (sid:1;)

            drop udp any any -> any 53 (sid:2;)
              # another
            pass ip any any -> any any (sid:3;)
            """
        #expect(RuleCapacity.stateful(RulesSource(RulesString: text)) == 3)
        #expect(RuleCapacity.stateful(RulesSource(RulesString: "")) == 0)
    }

    @Test func statefulRulesAndDomainLists() {
        let rule = StatefulRule(
            Action: .PASS,
            Header: Header(Protocol: "TCP", Source: "ANY", SourcePort: "ANY", Direction: .FORWARD, Destination: "ANY", DestinationPort: "80"),
            RuleOptions: [RuleOption(Keyword: "sid", Settings: ["1"])]
        )
        #expect(RuleCapacity.stateful(RulesSource(StatefulRules: [rule, rule, rule])) == 3)
        let domains = RulesSourceList(Targets: (0..<99).map { "d\($0).example.com" }, TargetTypes: [.HTTP_HOST], GeneratedRulesType: .DENYLIST)
        #expect(RuleCapacity.stateful(RulesSource(RulesSourceList: domains)) == 100)
        let both = RulesSourceList(Targets: ["a.example.com", ".b.example.com"], TargetTypes: [.HTTP_HOST, .TLS_SNI], GeneratedRulesType: .ALLOWLIST)
        #expect(RuleCapacity.stateful(RulesSource(RulesSourceList: both)) == 2 * 2 + 2)
    }
}

@Suite("StatefulRuleRenderer")
struct StatefulRuleRendererTests {
    @Test func forwardRuleWithSettings() throws {
        let rule = StatefulRule(
            Action: .DROP,
            Header: Header(
                Protocol: "TCP", Source: "$HOME_NET", SourcePort: "ANY", Direction: .FORWARD,
                Destination: "[203.0.113.0/24, 198.51.100.7]", DestinationPort: "1990:1994"
            ),
            RuleOptions: [
                RuleOption(Keyword: "msg", Settings: ["\"no games\""]),
                RuleOption(Keyword: "flow", Settings: ["established", "to_server"]),
                RuleOption(Keyword: "sid", Settings: ["100"]),
                RuleOption(Keyword: "rev", Settings: ["2"]),
            ]
        )
        let text = StatefulRuleRenderer.render(rule)
        #expect(text == #"drop tcp $HOME_NET any -> [203.0.113.0/24, 198.51.100.7] 1990:1994 (msg:"no games"; flow:established,to_server; sid:100; rev:2;)"#)
        let parsed = try parseOne(text)
        #expect(parsed.action == .drop)
        #expect(parsed.flow == FlowOptions(state: .established, direction: .toServer))
        #expect(parsed.header.destinationPort == .range(1990...1994))
    }

    @Test func anyDirectionAndFlagKeyword() {
        let rule = StatefulRule(
            Action: .ALERT,
            Header: Header(Protocol: "IP", Source: "any", SourcePort: "any", Direction: .ANY, Destination: "10.0.0.1", DestinationPort: "any"),
            RuleOptions: [RuleOption(Keyword: "sid", Settings: ["7"]), RuleOption(Keyword: "nocase", Settings: nil), RuleOption(Keyword: "x", Settings: [])]
        )
        #expect(StatefulRuleRenderer.render(rule) == "alert ip any any <> 10.0.0.1 any (sid:7; nocase; x;)")
    }

    @Test(arguments: [StatefulAction.PASS, .DROP, .ALERT, .REJECT])
    func everyActionRendersToAParsableRule(action: StatefulAction) throws {
        let rule = StatefulRule(
            Action: action,
            Header: Header(Protocol: "UDP", Source: "ANY", SourcePort: "ANY", Direction: .FORWARD, Destination: "ANY", DestinationPort: "53"),
            RuleOptions: [RuleOption(Keyword: "sid", Settings: ["9"])]
        )
        let parsed = try parseOne(StatefulRuleRenderer.render(rule))
        #expect(parsed.action.rawValue == action.rawValue.lowercased())
        #expect(parsed.header.proto == .udp)
    }
}
