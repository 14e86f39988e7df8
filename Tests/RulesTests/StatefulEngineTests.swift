@testable import Rules
import Shared
import Testing

/// Builds an engine from rule texts (one group per inner array).
func makeEngine(_ groups: [[String]], order: RuleOrder = .DEFAULT_ACTION_ORDER, defaultActions: [String] = []) throws -> StatefulEngine {
    let entries = groups.enumerated().map { index, rules in
        StatefulGroupEntry(arn: "arn:aws:network-firewall:us-east-1:123456789012:stateful-rulegroup/g\(index)", priority: index + 1, rules: rules)
    }
    return try StatefulEngine(section: StatefulSection(
        ruleOrder: order, streamExceptionPolicy: .DROP, defaultActions: defaultActions, groups: entries, tcpIdleTimeoutSeconds: 350
    ))
}

func makeEngine(_ rules: [String], order: RuleOrder = .DEFAULT_ACTION_ORDER, defaultActions: [String] = []) throws -> StatefulEngine {
    try makeEngine([rules], order: order, defaultActions: defaultActions)
}

func packet(_ source: String, _ sourcePort: UInt16, _ destination: String, _ destinationPort: UInt16, proto: UInt8 = 6) -> PacketFacts {
    PacketFacts(source: ip(source), destination: ip(destination), sourcePort: sourcePort, destinationPort: destinationPort, ipProtocol: proto)
}

extension FlowContext {
    /// The first packet of a new flow (a SYN).
    static let opening = FlowContext(direction: .toServer, established: false, firstPacketInDirection: true)
    /// The first reply of a flow.
    static let firstReply = FlowContext(direction: .toClient, established: false, firstPacketInDirection: true)
    /// A later client packet of an established flow.
    static let laterToServer = FlowContext(direction: .toServer, established: true, firstPacketInDirection: false)
    /// A later server packet of an established flow.
    static let laterToClient = FlowContext(direction: .toClient, established: true, firstPacketInDirection: false)
}

let web = packet("10.0.0.5", 40000, "192.0.2.10", 80)

@Suite("StatefulEngine: action order")
struct ActionOrderTests {
    static let all = [
        "alert tcp any any -> any 80 (msg:\"alert\"; sid:1;)",
        "reject tcp any any -> any 80 (msg:\"reject\"; sid:2;)",
        "drop tcp any any -> any 80 (msg:\"drop\"; sid:3;)",
        "pass tcp any any -> any 80 (msg:\"pass\"; sid:4;)",
    ]

    @Test func passBeatsEverything() throws {
        let decision = try makeEngine(Self.all).evaluate(web, flow: .opening)
        #expect(decision.verdict == .pass)
        #expect(decision.appliesToFlow)
        #expect(decision.alerts.isEmpty)
        #expect(decision.reason == "rule")
    }

    @Test func dropBeatsRejectAndAlertAndEveryMatchAlerts() throws {
        let decision = try makeEngine(Array(Self.all.prefix(3))).evaluate(web, flow: .opening)
        #expect(decision.verdict == .drop)
        #expect(decision.appliesToFlow)
        #expect(decision.alerts.map(\.sid) == [3, 2, 1])
        #expect(decision.alerts.map(\.blocked) == [true, true, false])
        #expect(decision.alerts.map(\.action) == [.drop, .reject, .alert])
        #expect(decision.alerts[0].message == "drop")
    }

    @Test func rejectBeatsAlert() throws {
        let decision = try makeEngine(Array(Self.all.prefix(2))).evaluate(web, flow: .opening)
        #expect(decision.verdict == .reject)
        #expect(decision.alerts.map(\.sid) == [2, 1])
    }

    @Test func alertsAloneDoNotBlock() throws {
        let decision = try makeEngine([Self.all[0]]).evaluate(web, flow: .opening)
        #expect(decision.verdict == .none)
        #expect(!decision.appliesToFlow)
        #expect(decision.alerts.count == 1)
        #expect(decision.alerts[0] == AlertMatch(
            sid: 1, gid: 1, rev: 0, message: "alert", classtype: nil, severity: 3, action: .alert, blocked: false
        ))
        #expect(decision.reason == "alert")
    }

    @Test func noMatch() throws {
        let decision = try makeEngine(Self.all).evaluate(packet("10.0.0.5", 40000, "192.0.2.10", 81), flow: .opening)
        #expect(decision.verdict == .none)
        #expect(decision.alerts.isEmpty)
        #expect(decision.reason == "none")
    }

    @Test func priorityKeywordOrdersWithinAnAction() throws {
        let engine = try makeEngine([
            "alert tcp any any -> any 80 (sid:10;)",
            "alert tcp any any -> any 80 (priority:5; sid:11;)",
            "alert tcp any any -> any 80 (priority:1; sid:12;)",
            "drop tcp any any -> any 80 (priority:9; sid:13;)",
            "drop tcp any any -> any 80 (priority:2; sid:14;)",
        ])
        let decision = engine.evaluate(web, flow: .opening)
        #expect(decision.verdict == .drop)
        #expect(decision.alerts.map(\.sid) == [14, 13, 12, 11, 10])
        #expect(decision.alerts[0].severity == 2)
    }

    @Test func passInALaterGroupStillWins() throws {
        let engine = try makeEngine([["drop tcp any any -> any any (sid:1;)"], ["pass tcp any any -> any 80 (sid:2;)"]])
        #expect(engine.evaluate(web, flow: .opening).verdict == .pass)
        #expect(engine.ruleCount == 2)
    }

    @Test func defaultActionsAreIgnored() throws {
        let engine = try makeEngine(["alert tcp any any -> any 9 (sid:1;)"], defaultActions: ["aws:drop_strict"])
        #expect(engine.evaluate(web, flow: .opening).verdict == .none)
    }
}

@Suite("StatefulEngine: strict order")
struct StrictOrderTests {
    @Test func firstTerminalMatchWinsAndEarlierAlertsAreKept() throws {
        let engine = try makeEngine(
            [
                ["alert tcp any any -> any 80 (msg:\"seen\"; sid:1;)", "drop tcp any any -> any 80 (sid:2;)"],
                ["pass tcp any any -> any 80 (sid:3;)"],
            ],
            order: .STRICT_ORDER
        )
        let decision = engine.evaluate(web, flow: .opening)
        #expect(decision.verdict == .drop)
        #expect(decision.appliesToFlow)
        #expect(decision.alerts.map(\.sid) == [1, 2])
        #expect(decision.alerts.map(\.blocked) == [false, true])
    }

    @Test func passFirstWins() throws {
        let engine = try makeEngine(
            [["alert tcp any any -> any 80 (sid:1;)", "pass tcp any any -> any 80 (sid:2;)", "drop tcp any any -> any 80 (sid:3;)"]],
            order: .STRICT_ORDER
        )
        let decision = engine.evaluate(web, flow: .opening)
        #expect(decision.verdict == .pass)
        #expect(decision.appliesToFlow)
        #expect(decision.alerts.map(\.sid) == [1])
    }

    @Test func rejectTerminates() throws {
        let engine = try makeEngine(
            ["reject tcp any any -> any 80 (sid:1;)", "pass tcp any any -> any 80 (sid:2;)"], order: .STRICT_ORDER
        )
        #expect(engine.evaluate(web, flow: .opening).verdict == .reject)
    }

    @Test func groupsRunInTheGivenOrder() throws {
        let engine = try makeEngine(
            [["pass tcp any any -> any 80 (sid:1;)"], ["drop tcp any any -> any 80 (sid:2;)"]], order: .STRICT_ORDER
        )
        #expect(engine.evaluate(web, flow: .opening).verdict == .pass)
    }

    @Test func priorityKeywordDoesNotReorder() throws {
        let engine = try makeEngine(
            ["drop tcp any any -> any 80 (priority:9; sid:1;)", "pass tcp any any -> any 80 (priority:1; sid:2;)"], order: .STRICT_ORDER
        )
        #expect(engine.evaluate(web, flow: .opening).verdict == .drop)
    }

    struct DefaultCase: Sendable, CustomTestStringConvertible {
        let actions: [String]
        let established: Bool
        let verdict: StatefulVerdict
        let alertMessages: [String]
        let reason: String
        var testDescription: String { "\(actions) established=\(established)" }
    }

    static let defaultCases: [DefaultCase] = [
        DefaultCase(actions: [], established: true, verdict: .none, alertMessages: [], reason: "none"),
        DefaultCase(actions: ["aws:drop_strict"], established: false, verdict: .drop, alertMessages: [], reason: "aws:drop_strict"),
        DefaultCase(actions: ["aws:drop_strict"], established: true, verdict: .drop, alertMessages: [], reason: "aws:drop_strict"),
        DefaultCase(actions: ["aws:drop_established"], established: false, verdict: .none, alertMessages: [], reason: "none"),
        DefaultCase(actions: ["aws:drop_established"], established: true, verdict: .drop, alertMessages: [], reason: "aws:drop_established"),
        DefaultCase(actions: ["aws:drop_established_app_layer"], established: false, verdict: .none, alertMessages: [], reason: "none"),
        DefaultCase(
            actions: ["aws:drop_established_app_layer"], established: true, verdict: .drop, alertMessages: [],
            reason: "aws:drop_established_app_layer"
        ),
        DefaultCase(actions: ["aws:alert_strict"], established: false, verdict: .none, alertMessages: ["aws:alert_strict"], reason: "aws:alert_strict"),
        DefaultCase(actions: ["aws:alert_established"], established: false, verdict: .none, alertMessages: [], reason: "none"),
        DefaultCase(
            actions: ["aws:alert_established"], established: true, verdict: .none, alertMessages: ["aws:alert_established"],
            reason: "aws:alert_established"
        ),
        DefaultCase(
            actions: ["aws:drop_established", "aws:alert_established"], established: true, verdict: .drop,
            alertMessages: ["aws:alert_established"], reason: "aws:drop_established"
        ),
        DefaultCase(
            actions: ["aws:drop_strict", "aws:alert_strict"], established: false, verdict: .drop,
            alertMessages: ["aws:alert_strict"], reason: "aws:drop_strict"
        ),
    ]

    @Test(arguments: defaultCases)
    func defaultActions(_ example: DefaultCase) throws {
        let engine = try makeEngine(["pass tcp any any -> any 443 (sid:1;)"], order: .STRICT_ORDER, defaultActions: example.actions)
        let flow = FlowContext(direction: .toServer, established: example.established, firstPacketInDirection: !example.established)
        let decision = engine.evaluate(web, flow: flow)
        #expect(decision.verdict == example.verdict)
        #expect(!decision.appliesToFlow)
        #expect(decision.alerts.map(\.message) == example.alertMessages)
        #expect(decision.alerts.allSatisfy { $0.sid == 0 && $0.action == .alert && !$0.blocked })
        #expect(decision.reason == example.reason)

        // A pass rule that matches keeps the default actions away (it is IP-only: evaluated on a first packet).
        let first = FlowContext(direction: .toServer, established: example.established, firstPacketInDirection: true)
        let passed = engine.evaluate(packet("10.0.0.5", 40000, "192.0.2.10", 443), flow: first)
        #expect(passed.verdict == .pass)
        #expect(passed.alerts.isEmpty)
    }

    @Test func alertRuleAndDefaultDrop() throws {
        let engine = try makeEngine(["alert tcp any any -> any 80 (sid:1;)"], order: .STRICT_ORDER, defaultActions: ["aws:drop_strict"])
        let decision = engine.evaluate(web, flow: .opening)
        #expect(decision.verdict == .drop)
        #expect(decision.alerts.map(\.sid) == [1])
        #expect(decision.reason == "aws:drop_strict")
    }

    @Test(arguments: [["aws:drop_everything"], ["aws:drop_strict", "aws:drop_established"]])
    func invalidDefaultActions(actions: [String]) {
        #expect(throws: RuleError.self) {
            try makeEngine(["alert tcp any any -> any 80 (sid:1;)"], order: .STRICT_ORDER, defaultActions: actions)
        }
    }
}

@Suite("StatefulEngine: matching")
struct MatchingTests {
    @Test func ipOnlyRulesOnlyOnTheFirstPacketOfEachDirection() throws {
        let engine = try makeEngine(["drop ip any any -> 192.0.2.10 any (sid:1;)", "alert ip 192.0.2.10 any -> any any (sid:2;)"])
        #expect(engine.evaluate(web, flow: .opening).verdict == .drop)
        #expect(engine.evaluate(web, flow: .laterToServer).verdict == .none)
        let reply = packet("192.0.2.10", 80, "10.0.0.5", 40000)
        #expect(engine.evaluate(reply, flow: .firstReply).alerts.map(\.sid) == [2])
        #expect(engine.evaluate(reply, flow: .laterToClient).alerts.isEmpty)
    }

    @Test func flowRulesOnEveryPacket() throws {
        let engine = try makeEngine(["drop tcp any any -> any 80 (flow:established,to_server; sid:1;)"])
        #expect(engine.evaluate(web, flow: .opening).verdict == .none)
        #expect(engine.evaluate(web, flow: .laterToServer).verdict == .drop)
        #expect(engine.evaluate(web, flow: FlowContext(direction: .toServer, established: true, firstPacketInDirection: true)).verdict == .drop)
        #expect(engine.evaluate(web, flow: .laterToClient).verdict == .none)
    }

    @Test(arguments: [
        ("established", [false, true, false, true]),
        ("not_established", [true, false, true, false]),
        ("stateless", [true, true, true, true]),
        ("to_server", [true, true, false, false]),
        ("from_client", [true, true, false, false]),
        ("to_client", [false, false, true, true]),
        ("from_server", [false, false, true, true]),
        ("only_stream", [true, true, true, true]),
    ])
    func flowOptions(option: String, expected: [Bool]) throws {
        let engine = try makeEngine(["alert ip any any <> any any (flow:\(option); sid:1;)"])
        let contexts: [FlowContext] = [
            FlowContext(direction: .toServer, established: false, firstPacketInDirection: false),
            FlowContext(direction: .toServer, established: true, firstPacketInDirection: false),
            FlowContext(direction: .toClient, established: false, firstPacketInDirection: false),
            FlowContext(direction: .toClient, established: true, firstPacketInDirection: false),
        ]
        #expect(contexts.map { !engine.evaluate(web, flow: $0).alerts.isEmpty } == expected)
    }

    @Test func negatedAddressesAreEvaluatedOnEveryPacket() throws {
        let engine = try makeEngine([
            "drop ip any any -> !10.0.0.0/8 any (sid:1;)",
            "alert ip ![172.16.0.0/12] any -> any any (sid:2;)",
        ])
        let later = engine.evaluate(web, flow: .laterToServer)
        #expect(later.verdict == .drop)
        #expect(later.alerts.map(\.sid) == [1, 2])
        #expect(engine.evaluate(packet("172.16.0.1", 1, "10.1.1.1", 2), flow: .laterToServer).verdict == .none)
    }

    @Test func externalNetIsNegationToo() throws {
        let engine = try makeEngine([try parseOne("drop tcp $HOME_NET any -> $EXTERNAL_NET 80 (sid:1;)").canonicalText])
        #expect(engine.evaluate(web, flow: .laterToServer).verdict == .drop)
        #expect(engine.evaluate(packet("10.0.0.5", 4000, "10.0.0.6", 80), flow: .opening).verdict == .none)
    }

    @Test func bidirectionalMatchesBothWays() throws {
        let both = try makeEngine(["drop tcp 10.0.0.5 any <> 192.0.2.10 80 (sid:1;)"])
        let forward = try makeEngine(["drop tcp 10.0.0.5 any -> 192.0.2.10 80 (sid:1;)"])
        let reply = packet("192.0.2.10", 80, "10.0.0.5", 40000)
        #expect(both.evaluate(web, flow: .opening).verdict == .drop)
        #expect(both.evaluate(reply, flow: .firstReply).verdict == .drop)
        #expect(forward.evaluate(web, flow: .opening).verdict == .drop)
        #expect(forward.evaluate(reply, flow: .firstReply).verdict == .none)
        // Ports must match the swapped side too.
        #expect(both.evaluate(packet("192.0.2.10", 81, "10.0.0.5", 80), flow: .firstReply).verdict == .none)
    }

    @Test(arguments: [
        (UInt16(80), true), (443, true), (8000, true), (8042, true), (8080, true), (8081, false), (22, false), (7999, false), (0, false),
    ])
    func portListsAndRanges(port: UInt16, matches: Bool) throws {
        let engine = try makeEngine(["drop tcp any any -> any [80,443,8000:8080] (sid:1;)"])
        #expect((engine.evaluate(packet("10.0.0.5", 5000, "192.0.2.1", port), flow: .opening).verdict == .drop) == matches)
    }

    @Test(arguments: [(UInt16(22), false), (23, false), (21, true), (24, true), (65535, true), (0, true)])
    func negatedPorts(port: UInt16, matches: Bool) throws {
        let engine = try makeEngine(["drop tcp any any -> any ![22,23] (sid:1;)"])
        #expect((engine.evaluate(packet("10.0.0.5", 5000, "192.0.2.1", port), flow: .opening).verdict == .drop) == matches)
    }

    @Test(arguments: [(UInt16(1023), false), (1024, true), (65535, true)])
    func openEndedRangeOnSourcePort(port: UInt16, matches: Bool) throws {
        let engine = try makeEngine(["drop udp any 1024: -> any :1023 (sid:1;)"])
        let facts = packet("10.0.0.5", port, "192.0.2.1", 53, proto: 17)
        #expect((engine.evaluate(facts, flow: .opening).verdict == .drop) == matches)
        #expect(engine.evaluate(packet("10.0.0.5", port, "192.0.2.1", 1024, proto: 17), flow: .opening).verdict == .none)
    }

    @Test func listWithNegatedEntry() throws {
        let engine = try makeEngine(["drop tcp [10.0.0.0/8,!10.1.0.0/16] any -> any [1:1024,!80] (sid:1;)"])
        #expect(engine.evaluate(packet("10.2.0.1", 1, "192.0.2.1", 443), flow: .opening).verdict == .drop)
        #expect(engine.evaluate(packet("10.1.0.1", 1, "192.0.2.1", 443), flow: .opening).verdict == .none)
        #expect(engine.evaluate(packet("10.2.0.1", 1, "192.0.2.1", 80), flow: .opening).verdict == .none)
        #expect(engine.evaluate(packet("11.0.0.1", 1, "192.0.2.1", 443), flow: .opening).verdict == .none)
    }

    @Test func ipv6() throws {
        let engine = try makeEngine([
            "drop tcp any any -> 2001:db8::/32 443 (sid:1;)",
            "alert ip any any -> !10.0.0.0/8 any (sid:2;)",
            "alert ip fd00::/8 any -> any any (sid:3;)",
        ])
        let v6 = packet("2001:db8:ffff::1", 5000, "2001:db8::10", 443)
        let decision = engine.evaluate(v6, flow: .opening)
        #expect(decision.verdict == .drop)
        // `!10.0.0.0/8` matches only IPv4 (Suricata fills a negation with the negated family only).
        #expect(decision.alerts.map(\.sid) == [1])
        #expect(engine.evaluate(packet("2001:db9::1", 5000, "2001:db9::10", 443), flow: .opening).verdict == .none)
        #expect(engine.evaluate(packet("fd00::1", 5000, "2001:db9::10", 443), flow: .opening).alerts.map(\.sid) == [3])
        #expect(engine.evaluate(packet("10.0.0.1", 5000, "192.0.2.1", 443), flow: .opening).alerts.map(\.sid) == [2])
    }

    @Test func ipv4RulesDoNotMatchIPv6() throws {
        let engine = try makeEngine(["drop ip 0.0.0.0/0 any -> any any (sid:1;)"])
        #expect(engine.evaluate(packet("2001:db8::1", 1, "2001:db8::2", 2), flow: .opening).verdict == .none)
        #expect(engine.evaluate(packet("192.0.2.1", 1, "192.0.2.2", 2), flow: .opening).verdict == .drop)
    }

    @Test(arguments: [
        ("ip", [true, true, true, true, true]),
        ("tcp", [true, false, false, false, false]),
        ("udp", [false, true, false, false, false]),
        ("icmp", [false, false, true, true, false]),
        // Application protocols match by detection, not port: nothing detected here.
        ("http", [false, false, false, false, false]),
        ("tls", [false, false, false, false, false]),
        ("dns", [false, false, false, false, false]),
    ])
    func protocols(proto: String, expected: [Bool]) throws {
        let engine = try makeEngine(["alert \(proto) any any -> any any (sid:1;)"])
        let numbers: [UInt8] = [6, 17, 1, 58, 47]
        let matched = numbers.map { number in
            let facts = PacketFacts(source: ip("10.0.0.1"), destination: ip("10.0.0.2"), sourcePort: 0, destinationPort: 0, ipProtocol: number)
            return !engine.evaluate(facts, flow: .opening).alerts.isEmpty
        }
        #expect(matched == expected)
    }

    @Test func alertsAreCappedAt15() throws {
        let alerts = (1...20).map { "alert tcp any any -> any 80 (sid:\($0);)" }
        let actionOrder = try makeEngine(alerts + ["drop tcp any any -> any 80 (sid:99;)"])
        let decision = actionOrder.evaluate(web, flow: .opening)
        #expect(decision.verdict == .drop)
        #expect(decision.alerts.count == StatefulEngine.maximumAlerts)
        #expect(decision.alerts.first?.sid == 99)

        let strict = try makeEngine(alerts + ["reject tcp any any -> any 80 (sid:99;)"], order: .STRICT_ORDER, defaultActions: ["aws:alert_strict"])
        let strictDecision = strict.evaluate(web, flow: .opening)
        #expect(strictDecision.verdict == .reject)
        #expect(strictDecision.alerts.map(\.sid) == Array(1...15))

        let onlyAlerts = try makeEngine(alerts, order: .STRICT_ORDER, defaultActions: ["aws:alert_strict"])
        #expect(onlyAlerts.evaluate(web, flow: .opening).alerts.count == 15)
    }

    @Test func alertCarriesRuleMetadata() throws {
        let engine = try makeEngine(["drop tcp any any -> any 80 (msg:\"bad\"; classtype:trojan-activity; sid:77; rev:4; gid:2;)"])
        #expect(engine.evaluate(web, flow: .opening).alerts == [
            AlertMatch(sid: 77, gid: 2, rev: 4, message: "bad", classtype: "trojan-activity", severity: 1, action: .drop, blocked: true),
        ])
    }

    @Test func compileErrorNamesTheGroupAndRule() throws {
        let error = try #require(#expect(throws: RuleError.self) {
            try makeEngine(["alert tcp any any -> any 80 (sid:1;)", "alert tcp any any -> any 80 (sid:2; wat;)"])
        })
        #expect(error.code == .unknownKeyword)
        #expect(error.line == 2)
        #expect(error.message.contains("stateful-rulegroup/g0"))
    }
}

@Suite("StatefulEngine: flowIsSettled")
struct FlowIsSettledTests {
    @Test func onlyIPOnlyCandidates() throws {
        let engine = try makeEngine(["pass tcp 10.0.0.0/8 any -> any 80 (sid:1;)", "alert ip any any -> 192.0.2.0/24 any (sid:2;)"])
        #expect(engine.flowIsSettled(web))
    }

    @Test func noRulesAtAll() throws {
        #expect(try makeEngine([String]()).flowIsSettled(web))
    }

    @Test func flowRuleThatCouldMatch() throws {
        let engine = try makeEngine(["pass tcp any any -> any 80 (sid:1;)", "drop tcp any any -> any 80 (flow:established; sid:2;)"])
        #expect(!engine.flowIsSettled(web))
        // Another port: the flow rule can never see this flow.
        #expect(engine.flowIsSettled(packet("10.0.0.5", 40000, "192.0.2.10", 443)))
    }

    @Test func flowRuleMatchingOnlyTheReplyDirection() throws {
        let engine = try makeEngine(["alert tcp 192.0.2.10 80 -> any any (flow:to_client; sid:1;)"])
        #expect(!engine.flowIsSettled(web))
        #expect(!engine.flowIsSettled(packet("192.0.2.10", 80, "10.0.0.5", 40000)))
        #expect(engine.flowIsSettled(packet("10.0.0.5", 40000, "192.0.2.11", 80)))
    }

    @Test func negatedAddressRule() throws {
        let engine = try makeEngine(["alert ip any any -> !10.0.0.0/8 any (sid:1;)"])
        #expect(!engine.flowIsSettled(web))
        // Both ends inside 10.0.0.0/8: the rule cannot match this flow either way.
        #expect(engine.flowIsSettled(packet("10.0.0.5", 40000, "10.0.0.6", 80)))
    }

    @Test func applicationProtocolRule() throws {
        let engine = try makeEngine(["alert http any any -> any any (sid:1;)"])
        #expect(!engine.flowIsSettled(web))
        #expect(engine.flowIsSettled(packet("10.0.0.5", 40000, "192.0.2.10", 53, proto: 17)))
    }

    @Test func strictDefaultActionsNeverSettle() throws {
        let engine = try makeEngine(["pass tcp any any -> any 80 (sid:1;)"], order: .STRICT_ORDER, defaultActions: ["aws:alert_established"])
        #expect(!engine.flowIsSettled(web))
        let plain = try makeEngine(["pass tcp any any -> any 80 (sid:1;)"], order: .STRICT_ORDER)
        #expect(plain.flowIsSettled(web))
    }
}
