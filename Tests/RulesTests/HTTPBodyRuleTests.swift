@testable import Rules
import Testing

@Suite("Stateful engine: rules that read HTTP bodies")
struct HTTPBodyRuleTests {
    @Test(
        "a rule on a body buffer makes the engine ask for bodies",
        arguments: [
            #"alert http any any -> any any (http.response_body; content:"secret"; sid:1;)"#,
            #"alert http any any -> any any (http.request_body; content:"secret"; sid:1;)"#,
            #"alert http any any -> any any (flow:to_client; file.data; content:"secret"; sid:1;)"#,
            #"alert http any any -> any any (flow:to_server; file_data; content:"secret"; sid:1;)"#,
            #"alert http any any -> any any (content:"secret"; http_client_body; sid:1;)"#,
            #"alert http any any -> any any (content:"secret"; http_server_body; sid:1;)"#,
        ]
    )
    func bodyBuffers(rule: String) throws {
        let engine = try makeEngine([#"pass http any any -> any any (http.host; content:"a.test"; sid:2;)"#, rule])
        #expect(engine.inspectsHTTPBodies)
    }

    @Test(
        "rules on heads, raw stream content or TLS leave bodies unread",
        arguments: [
            #"drop http any any -> any any (http.uri; content:"/forbidden"; sid:1;)"#,
            #"alert http any any -> any any (http.header; content:"secret"; sid:1;)"#,
            #"alert tcp any any -> any any (content:"secret"; sid:1;)"#,
            #"drop tls any any -> any any (tls.sni; content:"blocked.test"; sid:1;)"#,
        ]
    )
    func otherBuffers(rule: String) throws {
        #expect(try !makeEngine([rule]).inspectsHTTPBodies)
    }

    @Test("an engine without rules reads no bodies")
    func empty() throws {
        #expect(try !makeEngine([String]()).inspectsHTTPBodies)
    }
}
