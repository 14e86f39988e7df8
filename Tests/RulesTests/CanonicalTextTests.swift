import Rules
import Shared
import Testing

@Suite("Rule.canonicalText")
struct CanonicalTextTests {
    static let groupScope: VariableScope = {
        try! VariableScope.make(
            group: RuleVariables(
                IPSets: [
                    "HOME_NET": IPSet(Definition: ["10.0.0.0/16", "2001:db8:1::/48"]),
                    "WEB_SERVERS": IPSet(Definition: ["10.0.1.10", "10.0.1.11"]),
                    "NOT_WEB": IPSet(Definition: ["!$WEB_SERVERS"]),
                ],
                PortSets: ["HTTP_PORTS": PortSet(Definition: ["80", "8080:8090"]), "NOT_SSH": PortSet(Definition: ["!22"])]
            ),
            policy: nil
        )
    }()

    static let rules = [
        "alert tcp any any -> any any (sid:1;)",
        "pass ip $HOME_NET any <> $EXTERNAL_NET any (msg:\"home\"; sid:2; rev:1;)",
        "drop tcp $WEB_SERVERS $HTTP_PORTS -> [$HOME_NET,!10.0.5.0/24] ![22,23] (flow:to_client,established; sid:3;)",
        "reject udp [10.0.0.0/8,[192.168.0.0/16,!192.168.1.0/24]] 1024: -> 2001:db8::/32 :1023 (sid:4; gid:3;)",
        "alert icmp $NOT_WEB any -> any any (msg:\"semi\\; quote\\\" back\\\\slash\"; classtype:misc-activity; priority:9; sid:5;)",
        "alert dns any any -> any 53 (metadata:former_category POLICY, updated_at 2024; reference:cve,2024-1234; reference:url,a.example/x,y; sid:6;)",
        "alert http any any -> any $HTTP_PORTS (flow:stateless,from_client,no_stream; sid:7;)",
        "drop tls any $NOT_SSH -> any 443 (msg:\"\"; sid:8;)",
        "alert tcp !192.0.2.1 any -> ![192.0.2.0/24,2001:db8::/32] 0:65535 (sid:9;)",
        "alert http $HOME_NET any -> any any (msg:\"x\"; flow:established,to_server; http.uri; content:\"/a|3b|b\"; nocase; depth:10; content:\"c\"; distance:0; within:5; pcre:\"/d\\;e/Ui\"; sid:10;)",
        "alert tls any any -> any any (tls.sni; dotprefix; content:\".example.com\"; endswith; flowbits:set,a; flowbits:noalert; sid:11;)",
        "alert tcp any any -> any any (dsize:>10; flags:S+,12; ttl:<5; byte_test:2,>,100,0,relative; isdataat:!4,relative; sid:12;)",
    ]

    @Test(arguments: rules)
    func roundTrip(text: String) throws {
        let rule = try parseOne(text, variables: CanonicalTextTests.groupScope)
        let canonical = rule.canonicalText
        #expect(!canonical.contains("$"))
        let again = try parseOne(canonical, variables: .defaults)
        #expect(again == rule)
        #expect(again.canonicalText == canonical)
    }

    @Test func normalizedSpelling() throws {
        let rule = try parseOne(
            "ALERT TCP 10.1.2.3/8 ANY -> [ 192.0.2.1 , 2001:DB8::1 ] 80:80 ( sid : 10 ; rev:2; msg:unquoted ; flow: from_server , established ; gid:1 )"
        )
        #expect(rule.canonicalText
            == "alert tcp 10.0.0.0/8 any -> [192.0.2.1,2001:db8::1] 80 (sid:10; rev:2; msg:\"unquoted\"; flow:established,to_client; gid:1;)")
    }

    @Test func groupVariablesExpandInCanonicalText() throws {
        let rule = try parseOne("drop tcp $WEB_SERVERS any -> $EXTERNAL_NET $HTTP_PORTS (sid:1;)", variables: CanonicalTextTests.groupScope)
        // The group sets HOME_NET only, so EXTERNAL_NET stays the policy-level !HOME_NET (reference §11.2).
        #expect(rule.canonicalText
            == "drop tcp [10.0.1.10,10.0.1.11] any -> ![10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7] [80,8080:8090] (sid:1;)")
    }
}
