import Rules
import Shared
import Testing

@Suite("RulesParser: header forms")
struct RulesParserHeaderTests {
    @Test(arguments: [
        ("pass", RuleAction.pass), ("drop", .drop), ("reject", .reject), ("alert", .alert), ("ALERT", .alert),
    ])
    func actions(text: String, action: RuleAction) throws {
        let rule = try parseOne("\(text) tcp any any -> any any (sid:1;)")
        #expect(rule.action == action)
    }

    @Test(arguments: [
        ("ip", RuleProtocol.ip), ("tcp", .tcp), ("udp", .udp), ("icmp", .icmp), ("tls", .tls), ("http", .http),
        ("dns", .dns), ("TCP", .tcp),
    ])
    func protocols(text: String, proto: RuleProtocol) throws {
        let rule = try parseOne("alert \(text) any any -> any any (sid:1;)")
        #expect(rule.header.proto == proto)
    }

    @Test(arguments: [
        ("any", AddressExpression.any),
        ("ANY", .any),
        ("192.0.2.1", cidr("192.0.2.1/32")),
        ("10.0.0.0/8", cidr("10.0.0.0/8")),
        ("10.1.2.3/8", cidr("10.0.0.0/8")),
        ("2001:db8::1", cidr("2001:db8::1/128")),
        ("2001:db8::/32", cidr("2001:db8::/32")),
        ("[10.0.0.0/8,192.168.0.0/16]", .list([cidr("10.0.0.0/8"), cidr("192.168.0.0/16")])),
        ("[10.0.0.0/8, 2001:db8::/32]", .list([cidr("10.0.0.0/8"), cidr("2001:db8::/32")])),
        ("[10.0.0.0/8,[192.168.0.0/16,172.16.0.0/12]]", .list([cidr("10.0.0.0/8"), .list([cidr("192.168.0.0/16"), cidr("172.16.0.0/12")])])),
        ("!10.0.0.0/8", .negated(cidr("10.0.0.0/8"))),
        ("![10.0.0.0/8,192.168.0.0/16]", .negated(.list([cidr("10.0.0.0/8"), cidr("192.168.0.0/16")]))),
        ("[10.0.0.0/8,!10.1.0.0/16]", .list([cidr("10.0.0.0/8"), .negated(cidr("10.1.0.0/16"))])),
    ])
    func sourceAddresses(text: String, expected: AddressExpression) throws {
        let rule = try parseOne("alert ip \(text) any -> any any (sid:1;)")
        #expect(rule.header.source == expected)
    }

    @Test func homeAndExternalNet() throws {
        let rule = try parseOne("alert ip $HOME_NET any -> $EXTERNAL_NET any (sid:1;)")
        let home = AddressExpression.list(VariableScope.defaultHomeNet.map(cidr))
        #expect(rule.header.source == home)
        #expect(rule.header.destination == .negated(home))
        #expect(rule.canonicalText == "alert ip [10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7] any -> "
            + "![10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7] any (sid:1;)")
    }

    @Test(arguments: [
        ("any", PortExpression.any),
        ("80", .range(80...80)),
        ("0", .range(0...0)),
        ("65535", .range(65535...65535)),
        ("80:90", .range(80...90)),
        ("1024:", .range(1024...65535)),
        (":1023", .range(0...1023)),
        ("[80,443]", .list([.range(80...80), .range(443...443)])),
        ("[80, 8000:8080]", .list([.range(80...80), .range(8000...8080)])),
        ("!22", .negated(.range(22...22))),
        ("![22,23]", .negated(.list([.range(22...22), .range(23...23)]))),
        ("[1:1024,!80]", .list([.range(1...1024), .negated(.range(80...80))])),
    ])
    func destinationPorts(text: String, expected: PortExpression) throws {
        let rule = try parseOne("alert tcp any any -> any \(text) (sid:1;)")
        #expect(rule.header.destinationPort == expected)
    }

    @Test func portVariables() throws {
        let scope = try VariableScope.make(
            group: RuleVariables(PortSets: ["HTTP_PORTS": PortSet(Definition: ["80", "8080:8081"])]), policy: nil
        )
        let rule = try parseOne("alert tcp any any -> any $HTTP_PORTS (sid:1;)", variables: scope)
        #expect(rule.header.destinationPort == .list([.range(80...80), .range(8080...8081)]))
        #expect(rule.canonicalText == "alert tcp any any -> any [80,8080:8081] (sid:1;)")
    }

    @Test(arguments: [("->", RuleDirection.forward), ("<>", .both)])
    func directions(text: String, direction: RuleDirection) throws {
        let rule = try parseOne("alert tcp any any \(text) any any (sid:1;)")
        #expect(rule.header.direction == direction)
    }

    @Test func optionsAreRead() throws {
        let rule = try parseOne(#"""
            drop tls $HOME_NET any -> any 443 (msg:"Block \"bad\"\; really \\ now"; flow:to_server, established; classtype:policy-violation; priority:2; metadata:created_at 2024_01_01, author ops; reference:url,example.com/a,b; sid:1001; rev:3; gid:2)
            """#)
        #expect(rule.action == .drop)
        #expect(rule.message == #"Block "bad"; really \ now"#)
        #expect(rule.flow == FlowOptions(state: .established, direction: .toServer))
        #expect(rule.classtype == "policy-violation")
        #expect(rule.priority == 2)
        #expect(rule.metadata == ["created_at 2024_01_01", "author ops"])
        #expect(rule.references == [RuleReference(type: "url", value: "example.com/a,b")])
        #expect(rule.sid == 1001)
        #expect(rule.rev == 3)
        #expect(rule.gid == 2)
        #expect(rule.severity == 2)
    }

    @Test func defaultsOfOptionalOptions() throws {
        let rule = try parseOne("alert tcp any any -> any any (sid:7;)")
        #expect(rule.gid == 1)
        #expect(rule.rev == 0)
        #expect(rule.message == nil)
        #expect(rule.classtype == nil)
        #expect(rule.priority == nil)
        #expect(rule.flow == nil)
        #expect(rule.severity == 3)
        #expect(rule.isIPOnly)
    }

    @Test func severityComesFromClasstypeWithoutPriority() throws {
        #expect(try parseOne("alert tcp any any -> any any (classtype:trojan-activity; sid:1;)").severity == 1)
        #expect(try parseOne("alert tcp any any -> any any (classtype:trojan-activity; priority:4; sid:1;)").severity == 4)
    }

    @Test(arguments: [
        "alert tcp any any -> any any (sid:1;)",
        "alert tcp any any -> any any (sid:1)",
        "alert tcp any any -> any any (sid:1; )",
        "alert tcp any any -> any any ( sid : 1 ; )",
        "  alert tcp any any -> any any (sid:1;)  ",
        "alert tcp any any -> any any(sid:1;)",
        "alert\ttcp any any -> any any (sid:1;)",
    ])
    func optionalSpacingAndTrailingSemicolon(text: String) throws {
        let rule = try parseOne(text)
        #expect(rule.sid == 1)
        #expect(rule.canonicalText == "alert tcp any any -> any any (sid:1;)")
    }

    @Test(arguments: [
        ("flow:established", FlowOptions(state: .established)),
        ("flow:not_established", FlowOptions(state: .notEstablished)),
        ("flow:stateless", FlowOptions(state: .stateless)),
        ("flow:to_server", FlowOptions(direction: .toServer)),
        ("flow:from_client", FlowOptions(direction: .toServer)),
        ("flow:to_client", FlowOptions(direction: .toClient)),
        ("flow:from_server", FlowOptions(direction: .toClient)),
        ("flow:only_stream", FlowOptions(stream: .onlyStream)),
        ("flow:no_stream,established,to_client", FlowOptions(state: .established, direction: .toClient, stream: .noStream)),
    ])
    func flowOptions(option: String, expected: FlowOptions) throws {
        let rule = try parseOne("alert tcp any any -> any any (\(option); sid:1;)")
        #expect(rule.flow == expected)
        #expect(!rule.isIPOnly)
    }

    @Test func linesCommentsAndBlanks() throws {
        let text = """
            # a comment
            alert tcp any any -> any 80 (sid:1;)

               # indented comment
            drop udp any any -> any 53 (sid:2;)\r
            \t
            pass ip any any -> any any (sid:3;)
            """
        let rules = try RulesParser.parse(text, variables: .defaults)
        #expect(rules.map(\.sid) == [1, 2, 3])
        #expect(rules.map(\.line) == [2, 5, 7])
        #expect(RulesParser.ruleLineCount(text) == 3)
    }

    @Test func emptyStringHasNoRules() throws {
        #expect(try RulesParser.parse("", variables: .defaults).isEmpty)
        #expect(try RulesParser.parse("\n# only a comment\n", variables: .defaults).isEmpty)
    }
}

@Suite("RulesParser: errors with line and column")
struct RulesParserErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let rule: String
        let code: RuleError.Code
        let column: Int
        /// Text the message must contain (the offending keyword or value).
        let names: String
        var testDescription: String { rule }
    }

    static let cases: [Case] = [
        Case(rule: "alert tcp any any -> any any (sid:2;  foo;)", code: .unknownKeyword, column: 39, names: "unknown keyword 'foo'"),
        Case(rule: "alert tcp any any -> any any (sid:1; bogus:\"GET\";)", code: .unknownKeyword, column: 38, names: "'bogus'"),
        Case(rule: "alert tcp any any -> any any (sid:1; byte_jump:4,0;)", code: .unsupportedKeyword, column: 38, names: "'byte_jump'"),
        Case(rule: "alert tcp any any -> any any (sid:1; nocase; content:\"a\";)", code: .invalidValue, column: 38, names: "'nocase'"),
        Case(rule: "alert tcp any any -> any any (sid:1; content:\"abc\"; depth:2;)", code: .invalidValue, column: 59, names: "depth 2"),
        Case(rule: "alert tcp any any -> any any (sid:1; content:\"a\"; depth:3; distance:1;)", code: .invalidValue, column: 69, names: "'distance'"),
        Case(rule: "alert tcp any any -> any any (sid:1; content:\"a|4\";)", code: .invalidValue, column: 46, names: "unterminated '|'"),
        Case(rule: "alert tcp any any -> any any (sid:1; pcre:\"/a(/\";)", code: .invalidValue, column: 43, names: "pcre"),
        Case(rule: "alert tcp any any -> any any (sid:1; http.uri;)", code: .invalidValue, column: 30, names: "'http.uri'"),
        Case(rule: "alert http any any -> any any (sid:1; tls.sni; content:\"a\";)", code: .invalidValue, column: 7, names: "'tls.sni'"),
        Case(rule: "alert tcp any any -> any any (sid:1; flowbits:sett,a;)", code: .invalidValue, column: 47, names: "'sett'"),
        Case(rule: "alert tcp any any -> any any (sid:1; flags:SX;)", code: .invalidValue, column: 44, names: "'X'"),
        Case(rule: "sdrop tcp any any -> any any (sid:1;)", code: .unsupportedAction, column: 1, names: "'sdrop'"),
        Case(rule: "rejectsrc tcp any any -> any any (sid:1;)", code: .unsupportedAction, column: 1, names: "'rejectsrc'"),
        Case(rule: "alert sctp any any -> any any (sid:1;)", code: .unsupportedProtocol, column: 7, names: "'sctp'"),
        Case(rule: "alert ftp any any -> any any (sid:1;)", code: .unsupportedProtocol, column: 7, names: "'ftp'"),
        Case(rule: "alert tcp $WEB any -> any any (sid:1;)", code: .undefinedVariable, column: 11, names: "'$WEB'"),
        Case(rule: "alert tcp any any -> [10.0.0.0/8,$DB_SERVERS] any (sid:1;)", code: .undefinedVariable, column: 34, names: "'$DB_SERVERS'"),
        Case(rule: "alert tcp any $HTTP_PORTS -> any any (sid:1;)", code: .undefinedVariable, column: 15, names: "'$HTTP_PORTS'"),
        Case(rule: "alert tcp any any <- any any (sid:1;)", code: .syntax, column: 19, names: "'<-'"),
        Case(rule: "alert tcp any any => any any (sid:1;)", code: .syntax, column: 19, names: "'=>'"),
        Case(rule: "alert tcp any any -> any 70000 (sid:1;)", code: .invalidValue, column: 26, names: "70000"),
        Case(rule: "alert tcp any any -> any 90:80 (sid:1;)", code: .invalidValue, column: 26, names: "90:80"),
        Case(rule: "alert tcp any any -> any http (sid:1;)", code: .invalidValue, column: 26, names: "'http'"),
        Case(rule: "alert tcp any [80,] -> any any (sid:1;)", code: .syntax, column: 19, names: "']'"),
        Case(rule: "alert tcp 10.0.0.300 any -> any any (sid:1;)", code: .invalidValue, column: 11, names: "'10.0.0.300'"),
        Case(rule: "alert tcp 10.0.0.0/33 any -> any any (sid:1;)", code: .invalidValue, column: 11, names: "'10.0.0.0/33'"),
        Case(rule: "alert tcp [] any -> any any (sid:1;)", code: .syntax, column: 11, names: "[]"),
        Case(rule: "alert tcp @PREFIXES any -> any any (sid:1;)", code: .unsupportedReference, column: 11, names: "'@PREFIXES'"),
        Case(rule: "alert tcp !any any -> any any (sid:1;)", code: .invalidValue, column: 11, names: "'!any'"),
        Case(rule: "alert tcp any ![0:65535] -> any any (sid:1;)", code: .invalidValue, column: 15, names: "matches nothing"),
        Case(rule: "alert tcp any any -> any any (msg:\"x\";)", code: .missingSid, column: 30, names: "sid"),
        Case(rule: "alert tcp any any -> any any (sid:1; threshold: type limit, track by_src, count 1, seconds 60;)", code: .unsupportedKeyword, column: 38, names: "'threshold'"),
        Case(rule: "alert tcp any any -> any any (sid:1; filemd5:bad.txt;)", code: .unsupportedKeyword, column: 38, names: "'filemd5'"),
        Case(rule: "alert tcp any any -> any any (sid:1; xbits:set,foo,track ip_src;)", code: .unsupportedKeyword, column: 38, names: "ip_src"),
        Case(rule: "alert tcp any any -> any any (sid:1; geoip:dst,XX;)", code: .unsupportedKeyword, column: 48, names: "'XX'"),
        Case(rule: "alert tcp any any -> any any (sid:1; dataset:isset,bad;)", code: .unsupportedKeyword, column: 38, names: "'dataset'"),
        Case(rule: "alert tcp any any -> any any (sid:1; flow:established,to_server,to_client;)", code: .invalidValue, column: 65, names: "'to_client'"),
        Case(rule: "alert tcp any any -> any any (sid:1; flow:established,sideways;)", code: .invalidValue, column: 55, names: "'sideways'"),
        Case(rule: "alert tcp any any -> any any (sid:1; flow:established,not_established;)", code: .invalidValue, column: 55, names: "'not_established'"),
        Case(rule: "alert tcp any any -> any any (sid:1; priority:256;)", code: .invalidValue, column: 47, names: "'256'"),
        Case(rule: "alert tcp any any -> any any (sid:1; priority:0;)", code: .invalidValue, column: 47, names: "'0'"),
        Case(rule: "alert tcp any any -> any any (sid:abc;)", code: .invalidValue, column: 35, names: "'abc'"),
        Case(rule: "alert tcp any any -> any any (sid:0;)", code: .invalidValue, column: 35, names: "'0'"),
        Case(rule: "alert tcp any any -> any any (sid:1; sid:2;)", code: .invalidValue, column: 38, names: "'sid'"),
        Case(rule: "alert tcp any any -> any any (sid:1; classtype:nonsense;)", code: .invalidValue, column: 48, names: "'nonsense'"),
        Case(rule: "alert tcp any any -> any any (sid:1; msg:\"a;b\";)", code: .invalidValue, column: 42, names: "'msg'"),
        Case(rule: "alert tcp any any -> any any (sid:1; msg;)", code: .invalidValue, column: 38, names: "'msg'"),
        Case(rule: "alert tcp any any -> any any (sid:1;; rev:1;)", code: .syntax, column: 37, names: "';'"),
        Case(rule: "alert tcp [1.2.3.4,5.6.7.8 any -> any any (sid:1;)", code: .syntax, column: 28, names: "'a'"),
        Case(rule: "alert tcp any any -> any any sid:1;", code: .syntax, column: 30, names: "'sid:1;'"),
        Case(rule: "alert tcp any any -> any (sid:1;)", code: .syntax, column: 26, names: "destination port"),
        Case(rule: "alert tcp any any -> any any", code: .syntax, column: 29, names: "'('"),
        Case(rule: "alert tcp any any -> any any (sid:1;", code: .syntax, column: 37, names: "')'"),
        Case(rule: "alert tcp any any -> any any (sid:1;) trailing", code: .syntax, column: 39, names: "'trailing'"),
        Case(rule: "alert", code: .syntax, column: 6, names: "protocol"),
    ]

    @Test(arguments: cases)
    func firstError(_ example: Case) throws {
        let text = "# leading comment\n" + example.rule
        let error = try #require(parseError(text))
        #expect(error.code == example.code, "\(error)")
        #expect(error.line == 2)
        #expect(error.column == example.column, "\(error)")
        #expect(error.message.contains(example.names), "\(error.message)")
        #expect(error.rule == example.rule)
    }

    @Test func unknownKeywordOnLine2Column35() throws {
        let text = """
            pass tcp any any -> any 80 (sid:1;)
            pass ip any any -> any 80 (sid:2; foo;)
            """
        let error = try #require(parseError(text))
        #expect(error.code == .unknownKeyword)
        #expect(error.line == 2)
        #expect(error.column == 35)
        #expect(error.sid == 2)
        #expect(error.message == "unknown keyword 'foo'")
        #expect(error.description == "line 2, column 35 (sid 2): unknown keyword 'foo'")
    }

    @Test func sidIsReportedEvenWhenTheErrorComesBeforeIt() throws {
        let error = try #require(parseError("alert tcp any any -> any any (msg:\"x\"; foo; sid:4242;)"))
        #expect(error.code == .unknownKeyword)
        #expect(error.sid == 4242)
    }

    @Test func firstErrorWins() throws {
        let text = """
            alert tcp any any -> any any (sid:1;)
            alert tcp any any -> any any (sid:2; bogus;)
            alert tcp $NOPE any -> any any (sid:3;)
            """
        let error = try #require(parseError(text))
        #expect(error.line == 2)
        #expect(error.code == .unknownKeyword)
    }

    @Test func duplicateSid() throws {
        let text = """
            alert tcp any any -> any 80 (sid:5;)
            # comment
            drop tcp any any -> any 81 (msg:"again"; sid:5;)
            """
        let error = try #require(parseError(text))
        #expect(error.code == .duplicateSid)
        #expect(error.line == 3)
        #expect(error.column == 46)
        #expect(error.sid == 5)
        #expect(error.message.contains("line 1"))
    }

    @Test func ruleTooLongAfterExpansion() throws {
        let hosts = (0..<900).map { "10.1.\($0 / 250).\($0 % 250)" }
        let scope = try VariableScope.make(group: RuleVariables(IPSets: ["BIG": IPSet(Definition: hosts)]), policy: nil)
        let text = "alert ip $BIG any -> any any (sid:1;)"
        #expect(text.count < RulesParser.maximumRuleLength)
        let error = try #require(parseError(text, variables: scope))
        #expect(error.code == .ruleTooLong)
        #expect(error.column == 1)

        let small = try VariableScope.make(group: RuleVariables(IPSets: ["BIG": IPSet(Definition: Array(hosts.prefix(100)))]), policy: nil)
        #expect(try parseOne(text, variables: small).sid == 1)
    }

    @Test func ruleTooLongWithoutVariables() throws {
        let message = String(repeating: "x", count: 8200)
        let error = try #require(parseError("alert ip any any -> any any (msg:\"\(message)\"; sid:1;)"))
        #expect(error.code == .ruleTooLong)
    }

    @Test func portVariableInAddressFieldIsNamed() throws {
        let scope = try VariableScope.make(group: RuleVariables(PortSets: ["WEB": PortSet(Definition: ["80"])]), policy: nil)
        let error = try #require(parseError("alert tcp $WEB any -> any any (sid:1;)", variables: scope))
        #expect(error.code == .undefinedVariable)
        #expect(error.message.contains("port variable"))
    }

    @Test func geoipWithValidCodesIsNotImplemented() throws {
        let error = try #require(parseError("alert ip any any -> any any (sid:1; geoip:dst,RU,CN;)"))
        #expect(error.code == .unsupportedKeyword)
        #expect(error.message == "keyword 'geoip' is not supported by Rampart")
    }

    @Test func parseRuleRejectsMultipleLines() throws {
        #expect(throws: RuleError.self) {
            try RulesParser.parseRule("alert ip any any -> any any (sid:1;)\nalert ip any any -> any any (sid:2;)", variables: .defaults)
        }
        #expect(try RulesParser.parseRule("alert ip any any -> any any (sid:1;)\n", line: 4, variables: .defaults).line == 4)
    }
}
