import Rules
import Shared
import Testing

@Suite("DomainListRenderer")
struct DomainListRendererTests {
    static func list(_ targets: [String], _ types: [TargetType], _ type: GeneratedRulesType) -> RulesSourceList {
        RulesSourceList(Targets: targets, TargetTypes: types, GeneratedRulesType: type)
    }

    // The three listings of AWS's developer guide, "Stateful rules examples: domain list rules".

    @Test func awsDenyListExample() throws {
        let rules = try DomainListRenderer.render(Self.list(["evil.com"], [.TLS_SNI, .HTTP_HOST], .DENYLIST), ruleOrder: .DEFAULT_ACTION_ORDER)
        #expect(rules == [
            #"drop tls $HOME_NET any -> $EXTERNAL_NET any (ssl_state:client_hello; tls.sni; content:"evil.com"; startswith; nocase; endswith; msg:"matching TLS denylisted FQDNs"; priority:1; flow:to_server, established; sid:1; rev:1;)"#,
            #"drop http $HOME_NET any -> $EXTERNAL_NET any (http.host; content:"evil.com"; startswith; endswith; msg:"matching HTTP denylisted FQDNs"; priority:1; flow:to_server, established; sid:2; rev:1;)"#,
        ])
    }

    @Test func awsHTTPAllowListExample() throws {
        let rules = try DomainListRenderer.render(Self.list([".amazon.com", "example.com"], [.HTTP_HOST], .ALLOWLIST), ruleOrder: .DEFAULT_ACTION_ORDER)
        #expect(rules == [
            #"pass http $HOME_NET any -> $EXTERNAL_NET any (http.host; dotprefix; content:".amazon.com"; endswith; msg:"matching HTTP allowlisted FQDNs"; priority:1; flow:to_server, established; sid:1; rev:1;)"#,
            #"pass http $HOME_NET any -> $EXTERNAL_NET any (http.host; content:"example.com"; startswith; endswith; msg:"matching HTTP allowlisted FQDNs"; priority:1; flow:to_server, established; sid:2; rev:1;)"#,
            #"drop http $HOME_NET any -> $EXTERNAL_NET any (http.header_names; content:"|0d 0a|"; startswith; msg:"not matching any HTTP allowlisted FQDNs"; priority:1; flow:to_server, established; sid:3; rev:1;)"#,
        ])
    }

    @Test func awsTLSAllowListExample() throws {
        let rules = try DomainListRenderer.render(Self.list([".amazon.com", "example.com"], [.TLS_SNI], .ALLOWLIST), ruleOrder: .DEFAULT_ACTION_ORDER)
        #expect(rules == [
            #"pass tls $HOME_NET any -> $EXTERNAL_NET any (ssl_state:client_hello; tls.sni; dotprefix; content:".amazon.com"; nocase; endswith; msg:"matching TLS allowlisted FQDNs"; priority:1; flow:to_server, established; sid:1; rev:1;)"#,
            #"pass tls $HOME_NET any -> $EXTERNAL_NET any (ssl_state:client_hello; tls.sni; content:"example.com"; startswith; nocase; endswith; msg:"matching TLS allowlisted FQDNs"; priority:1; flow:to_server, established; sid:2; rev:1;)"#,
            #"drop tls $HOME_NET any -> $EXTERNAL_NET any (msg:"not matching any TLS allowlisted FQDNs"; priority:1; ssl_state:client_hello; flow:to_server, established; sid:3; rev:1;)"#,
        ])
    }

    @Test func allowListWithBothTypesGoesTargetByTargetThenOneDefaultDropPerType() throws {
        let rules = try DomainListRenderer.render(Self.list([".amazon.com", "example.com"], [.TLS_SNI, .HTTP_HOST], .ALLOWLIST), ruleOrder: .DEFAULT_ACTION_ORDER)
        #expect(rules.count == 2 * 2 + 2)
        #expect(rules.map { $0.split(separator: " ").prefix(2).joined(separator: " ") } == [
            "pass tls", "pass http", "pass tls", "pass http", "drop tls", "drop http",
        ])
        #expect(rules[0].contains(#"tls.sni; dotprefix; content:".amazon.com"; nocase; endswith;"#))
        #expect(rules[1].contains(#"http.host; dotprefix; content:".amazon.com"; endswith;"#))
        #expect(rules[2].contains(#"tls.sni; content:"example.com"; startswith; nocase; endswith;"#))
        #expect(rules[3].contains(#"http.host; content:"example.com"; startswith; endswith;"#))
        #expect(rules[4].contains(#"msg:"not matching any TLS allowlisted FQDNs""#))
        #expect(rules[5].contains(#"msg:"not matching any HTTP allowlisted FQDNs""#))
        #expect(rules.enumerated().allSatisfy { $0.element.hasSuffix("sid:\($0.offset + 1); rev:1;)") })
        #expect(rules.allSatisfy { $0.contains(" $HOME_NET any -> $EXTERNAL_NET any (") && $0.contains("priority:1;") })
    }

    @Test func targetTypesKeepTheirOrder() throws {
        let rules = try DomainListRenderer.render(Self.list(["a.example"], [.HTTP_HOST, .TLS_SNI], .ALLOWLIST), ruleOrder: .DEFAULT_ACTION_ORDER)
        #expect(rules.map { $0.split(separator: " ").prefix(2).joined(separator: " ") } == ["pass http", "pass tls", "drop http", "drop tls"])
    }

    @Test func strictOrderHasNoPriorityAndPassesBeforeDrops() throws {
        let rules = try DomainListRenderer.render(Self.list([".amazon.com", "example.com"], [.TLS_SNI, .HTTP_HOST], .ALLOWLIST), ruleOrder: .STRICT_ORDER)
        #expect(rules.count == 6)
        #expect(!rules.contains { $0.contains("priority") })
        #expect(rules.prefix(4).allSatisfy { $0.hasPrefix("pass ") })
        #expect(rules.suffix(2).allSatisfy { $0.hasPrefix("drop ") })
        #expect(rules[0] == #"pass tls $HOME_NET any -> $EXTERNAL_NET any (ssl_state:client_hello; tls.sni; dotprefix; content:".amazon.com"; nocase; endswith; msg:"matching TLS allowlisted FQDNs"; flow:to_server, established; sid:1; rev:1;)"#)
        #expect(rules[4] == #"drop tls $HOME_NET any -> $EXTERNAL_NET any (msg:"not matching any TLS allowlisted FQDNs"; ssl_state:client_hello; flow:to_server, established; sid:5; rev:1;)"#)
    }

    @Test(arguments: [
        (GeneratedRulesType.DENYLIST, "drop", "denylisted"),
        (.REJECTLIST, "reject", "rejectlisted"),
        (.ALERTLIST, "alert", "alertlisted"),
    ])
    func listsOtherThanAllowListOnlyActOnTheListedNames(type: GeneratedRulesType, action: String, word: String) throws {
        let rules = try DomainListRenderer.render(Self.list([".example.com", "b.example.org"], [.TLS_SNI, .HTTP_HOST], type), ruleOrder: .DEFAULT_ACTION_ORDER)
        #expect(rules.count == 4)
        #expect(rules.allSatisfy { $0.hasPrefix(action + " ") })
        #expect(rules[0].contains(#"msg:"matching TLS \#(word) FQDNs""#))
        #expect(rules[1].contains(#"msg:"matching HTTP \#(word) FQDNs""#))
        #expect(!rules.contains { $0.contains("not matching") })
    }

    @Test func namesAreWrittenInLowerCase() throws {
        let rules = try DomainListRenderer.render(Self.list([".Example.COM"], [.TLS_SNI, .HTTP_HOST], .DENYLIST), ruleOrder: .STRICT_ORDER)
        #expect(rules[0].contains(#"content:".example.com"; nocase;"#))
        #expect(rules[1].contains(#"content:".example.com"; endswith;"#))
    }

    @Test func ruleCountIsTheCapacity() throws {
        for type in [GeneratedRulesType.ALLOWLIST] {
            for types in [[TargetType.TLS_SNI], [.HTTP_HOST], [.TLS_SNI, .HTTP_HOST]] {
                let list = Self.list(["a.example", ".b.example", "c.example"], types, type)
                #expect(try DomainListRenderer.render(list, ruleOrder: .DEFAULT_ACTION_ORDER).count == RuleCapacity.domainList(list))
            }
        }
        #expect(RuleCapacity.domainList(Self.list(["a.example", ".b.example"], [.TLS_SNI, .HTTP_HOST], .DENYLIST)) == 6)
        #expect(RuleCapacity.domainList(Self.list((0..<99).map { "d\($0).example" }, [.HTTP_HOST], .ALLOWLIST)) == 100)
        #expect(RuleCapacity.stateful(RulesSource(RulesSourceList: Self.list(["a.example", ".b.example"], [.TLS_SNI, .HTTP_HOST], .ALLOWLIST))) == 6)
    }

    // MARK: Parsing (needs the parser's tls.sni, http.host, dotprefix, content modifiers and ssl_state)

    @Test(arguments: [GeneratedRulesType.ALLOWLIST, .DENYLIST, .REJECTLIST, .ALERTLIST], [RuleOrder.DEFAULT_ACTION_ORDER, .STRICT_ORDER])
    func renderedRulesParse(type: GeneratedRulesType, order: RuleOrder) throws {
        let list = Self.list([".amazon.com", "example.com", "x-1.test"], [.TLS_SNI, .HTTP_HOST], type)
        let text = try DomainListRenderer.render(list, ruleOrder: order).joined(separator: "\n")
        let rules = try RulesParser.parse(text, variables: .defaults)
        #expect(rules.count == (type == .ALLOWLIST ? 8 : 6))
        #expect(rules.map(\.sid) == Array(1...rules.count))
        #expect(rules.allSatisfy { $0.header.source == VariableScope.defaults.addresses["HOME_NET"] })
        #expect(rules.allSatisfy { $0.header.destination == VariableScope.defaults.addresses["EXTERNAL_NET"] })
        #expect(rules.allSatisfy { $0.flow == FlowOptions(state: .established, direction: .toServer) })
        #expect(rules.allSatisfy { $0.priority == (order == .DEFAULT_ACTION_ORDER ? 1 : nil) })
        #expect(rules.map(\.header.proto) == [RuleProtocol.tls, .http].repeated(type == .ALLOWLIST ? 4 : 3))
        let listed: RuleAction = switch type {
        case .ALLOWLIST: .pass
        case .DENYLIST: .drop
        case .REJECTLIST: .reject
        case .ALERTLIST: .alert
        }
        #expect(rules.prefix(6).allSatisfy { $0.action == listed })
        if type == .ALLOWLIST {
            #expect(rules.suffix(2).map(\.action) == [.drop, .drop])
            #expect(rules.suffix(2).map(\.message) == ["not matching any TLS allowlisted FQDNs", "not matching any HTTP allowlisted FQDNs"])
        }
        #expect(rules.allSatisfy { $0.canonicalText.count <= RulesParser.maximumRuleLength })
    }

    @Test func homeNetComesFromTheGroupVariables() throws {
        let text = try DomainListRenderer.render(Self.list([".example.com"], [.TLS_SNI, .HTTP_HOST], .ALLOWLIST), ruleOrder: .DEFAULT_ACTION_ORDER)
            .joined(separator: "\n")
        let scope = try VariableScope.make(
            group: RuleVariables(IPSets: ["HOME_NET": IPSet(Definition: ["10.9.0.0/16", "192.0.2.0/24"])]), policy: nil
        )
        let rules = try RulesParser.parse(text, variables: scope)
        #expect(rules.count == 4)
        #expect(rules.allSatisfy { $0.header.source == .list([cidr("10.9.0.0/16"), cidr("192.0.2.0/24")]) })
        #expect(rules.allSatisfy { $0.canonicalText.contains("10.9.0.0/16") && $0.canonicalText.contains("192.0.2.0/24") })
    }

    @Test func homeNetComesFromThePolicyWhenTheGroupHasNone() throws {
        let text = try DomainListRenderer.render(Self.list(["a.example"], [.HTTP_HOST], .DENYLIST), ruleOrder: .STRICT_ORDER).joined(separator: "\n")
        let scope = try VariableScope.make(group: nil, policy: PolicyVariables(RuleVariables: ["HOME_NET": IPSet(Definition: ["198.18.0.0/15"])]))
        let rule = try parseOne(text, variables: scope)
        #expect(rule.header.source == .list([cidr("198.18.0.0/15")]))
        #expect(rule.header.destination == .negated(.list([cidr("198.18.0.0/15")])))
    }

    // MARK: Validation

    @Test(arguments: [
        ("*.example.com", "'*' is not allowed"),
        ("https://example.com", "without a scheme"),
        ("exa mple.com", "U+20 is not allowed"),
        ("example.com ", "U+20 is not allowed"),
        ("", "it is empty"),
        (".", "it is empty"),
        ("..example.com", "only one leading '.'"),
        ("example..com", "empty label"),
        ("example.com.", "empty label"),
        ("exam_ple.com", "'_' is not allowed"),
        ("bücher.example", "'ü' is not allowed"),
        (String(repeating: "a", count: 64) + ".example", "longer than 63 characters"),
        (Array(repeating: String(repeating: "a", count: 50), count: 6).joined(separator: "."), "longer than 253 characters"),
    ])
    func badTargetsAreRefusedWithTheirIndex(target: String, problem: String) throws {
        let list = Self.list(["good.example", ".also.good", target], [.TLS_SNI], .DENYLIST)
        let error = try #require(#expect(throws: DomainListError.self) {
            try DomainListRenderer.render(list, ruleOrder: .DEFAULT_ACTION_ORDER)
        })
        #expect(error.code == .invalidTarget)
        #expect(error.field == "Targets[2]")
        #expect(error.value == target)
        #expect(error.message.contains(problem), "\(error.message)")
        #expect(error.description.hasPrefix("Targets[2] is not a valid domain: "))
    }

    @Test(arguments: ["example.com", ".example.com", "a-b.c-d.example", "x1.example", String(repeating: "a", count: 63) + ".example", "localhost", "EXAMPLE.com"])
    func goodTargetsAreAccepted(target: String) throws {
        #expect(DomainListRenderer.problem(with: target) == nil)
        #expect(try DomainListRenderer.render(Self.list([target], [.TLS_SNI], .ALLOWLIST), ruleOrder: .STRICT_ORDER).count == 2)
    }

    @Test func targetTypesMustBeGivenOnceEach() throws {
        let none = try #require(#expect(throws: DomainListError.self) {
            try DomainListRenderer.render(Self.list(["a.example"], [], .DENYLIST), ruleOrder: .DEFAULT_ACTION_ORDER)
        })
        #expect(none.field == "TargetTypes")
        #expect(none.code == .invalidTargetTypes)
        let twice = try #require(#expect(throws: DomainListError.self) {
            try DomainListRenderer.render(Self.list(["a.example"], [.HTTP_HOST, .TLS_SNI, .HTTP_HOST], .DENYLIST), ruleOrder: .DEFAULT_ACTION_ORDER)
        })
        #expect(twice.field == "TargetTypes[2]")
        #expect(twice.value == "HTTP_HOST")
    }

    @Test func anEmptyAllowListOnlyDrops() throws {
        let rules = try DomainListRenderer.render(Self.list([], [.TLS_SNI], .ALLOWLIST), ruleOrder: .STRICT_ORDER)
        #expect(rules == [#"drop tls $HOME_NET any -> $EXTERNAL_NET any (msg:"not matching any TLS allowlisted FQDNs"; ssl_state:client_hello; flow:to_server, established; sid:1; rev:1;)"#])
        #expect(try DomainListRenderer.render(Self.list([], [.TLS_SNI], .DENYLIST), ruleOrder: .STRICT_ORDER).isEmpty)
    }
}

extension Array {
    /// The array's elements `count` times over.
    fileprivate func repeated(_ count: Int) -> [Element] {
        (0..<count).flatMap { _ in self }
    }
}
