@testable import Rules
import Shared
import Testing

@Suite("StatefulEngine: signature groups")
struct SignatureGroupTableTests {
    /// The sids of the rules in the group of `facts` (those without a fast pattern, and those whose pattern
    /// occurs in `payload`).
    func groupSids(
        _ engine: StatefulEngine, _ facts: PacketFacts, _ direction: FlowDirection, app: AppProtocolState = .unknown, payload: String = ""
    ) -> [Int] {
        let group = engine.groups.groups[engine.groups.group(facts, direction: direction, appProtocol: app)]
        var scratch = EngineScratch()
        Array(payload.utf8).withUnsafeBytes {
            group.collectCandidates(InspectionData(payload: $0), ruleCount: engine.rules.count, into: &scratch)
        }
        return scratch.candidates.map { engine.rules[Int($0)].alert.sid }.sorted()
    }

    @Test func directionsHaveTheirOwnGroups() throws {
        let engine = try makeEngine([
            "alert tcp any any -> any any (flow:to_server; content:\"x\"; sid:1;)",
            "alert tcp any any -> any any (flow:to_client; content:\"x\"; sid:2;)",
            "alert tcp any any -> any any (content:\"x\"; sid:3;)",
            "alert tcp any any -> any any (flow:to_client; sid:4;)",
        ])
        #expect(groupSids(engine, web, .toServer, payload: "x") == [1, 3])
        #expect(groupSids(engine, web.reversed, .toClient, payload: "x") == [2, 3, 4])
        #expect(groupSids(engine, web.reversed, .toClient, payload: "y") == [4])
    }

    @Test func packetsAreFiledByTheServersPort() throws {
        let engine = try makeEngine([
            "alert tcp any any -> any 80 (flow:to_server; sid:1;)",
            "alert tcp any 80 -> any any (flow:to_client; sid:2;)",
            "alert tcp any 40000:40010 <> any 25 (sid:3;)",
        ])
        let mail = packet("10.0.0.5", 40000, "192.0.2.10", 25)
        #expect(groupSids(engine, web, .toServer) == [1])
        #expect(groupSids(engine, web.reversed, .toClient) == [2])
        #expect(groupSids(engine, mail, .toServer) == [3])
        #expect(groupSids(engine, mail.reversed, .toClient) == [3])
        #expect(groupSids(engine, packet("10.0.0.5", 40000, "192.0.2.10", 443), .toServer).isEmpty)
    }

    @Test func applicationProtocolsHaveTheirOwnGroups() throws {
        let engine = try makeEngine([
            "alert http any any -> any any (sid:1;)",
            "alert tls any any -> any any (sid:2;)",
            "alert tcp any any -> any any (sid:3;)",
            "alert dns any any -> any any (sid:4;)",
        ])
        #expect(groupSids(engine, web, .toServer) == [3])
        #expect(groupSids(engine, web, .toServer, app: .failed) == [3])
        #expect(groupSids(engine, web, .toServer, app: .detected(.http)) == [1, 3])
        #expect(groupSids(engine, web, .toServer, app: .detected(.tls)) == [2, 3])
        #expect(groupSids(engine, web, .toServer, app: .detected(.dns)) == [3, 4])
        #expect(groupSids(engine, packet("10.0.0.5", 40000, "192.0.2.10", 53, proto: 17), .toServer, app: .detected(.dns)) == [4])
    }

    @Test func portsBeyondTheLimitShareOneGroupThatHoldsAllTheirRules() throws {
        let ports = (1...30).map { UInt16(1000 + 10 * $0) }
        let engine = try makeEngine(ports.enumerated().map { "alert tcp any any -> any \($0.element) (sid:\($0.offset + 1);)" })
        var groups: Set<Int> = []
        for (offset, port) in ports.enumerated() {
            let facts = packet("10.0.0.5", 40000, "192.0.2.10", port)
            groups.insert(engine.groups.group(facts, direction: .toServer, appProtocol: .unknown))
            #expect(groupSids(engine, facts, .toServer).contains(offset + 1))
        }
        let other = packet("10.0.0.5", 40000, "192.0.2.10", 9)
        groups.insert(engine.groups.group(other, direction: .toServer, appProtocol: .unknown))
        #expect(groupSids(engine, other, .toServer).isEmpty)
        #expect(groups.count == SignatureGroupTable.maximumPortGroups)
    }

    @Test func equalGroupsAndPatternSetsAreShared() throws {
        let engine = try makeEngine([
            "alert http any any -> any any (flow:to_server; http.host; content:\"a.example\"; sid:1;)",
            "alert tcp any any -> any 81 (content:\"x\"; sid:2;)",
        ])
        // Rule sets {}, {2}, {1} and {1, 2}; one pattern set per buffer.
        #expect(engine.groups.groups.count == 4)
        #expect(engine.groups.patternSets.count == 2)
    }

    /// Random rules with payload and application-buffer contents, random packets: the engine, which inspects
    /// only its signature group's candidates, decides as a linear pass over every rule does.
    @Test(arguments: [UInt64(7), 8, 9])
    func engineAgreesWithALinearPass(seed: UInt64) throws {
        var rng = SplitMix64(state: seed)
        let words = ["GET", "abc", "xyz", "|00 01|", "Host", "evil"]
        let ports = ["any", "80", "443", "53", "[80,8080]", "1024:", "!80"]
        var texts: [String] = []
        for sid in 1...300 {
            let (proto, buffer): (String, String?) = [
                ("tcp", nil), ("udp", nil), ("ip", nil), ("http", nil), ("http", "http.host"), ("tls", "tls.sni"), ("dns", "dns.query"),
            ].randomElement(using: &rng)!
            let flow = ["", "flow:to_server; ", "flow:to_client; ", "flow:established,to_server; "].randomElement(using: &rng)!
            var options = flow
            if proto != "ip" {
                for _ in 0..<Int.random(in: 0...2, using: &rng) {
                    let buffer = buffer.map { "\($0); " } ?? ""
                    options += "\(buffer)content:\"\(words.randomElement(using: &rng)!)\"; \(Bool.random(using: &rng) ? "nocase; " : "")"
                }
            }
            let action = ["alert", "alert", "drop", "pass"].randomElement(using: &rng)!
            let (source, destination) = proto == "ip" ? ("any", "any") : (ports.randomElement(using: &rng)!, ports.randomElement(using: &rng)!)
            let header = "\(action) \(proto) any \(source) \(Bool.random(using: &rng) ? "->" : "<>") any \(destination)"
            texts.append("\(header) (\(options)sid:\(sid);)")
        }
        let engine = try makeEngine(texts, order: .STRICT_ORDER)
        let payloadWords = ["GET", "ABC", "xyz", "\u{0}\u{1}", "host", "EVIL", "zzz", " "]
        var matched = 0
        for _ in 0..<2000 {
            let proto: UInt8 = [6, 6, 17, 1].randomElement(using: &rng)!
            let clientPort = UInt16.random(in: 1024...65535, using: &rng)
            let serverPort: UInt16 = [80, 443, 53, 8080, 22].randomElement(using: &rng)!
            let direction: FlowDirection = Bool.random(using: &rng) ? .toServer : .toClient
            var facts = packet("10.0.0.5", clientPort, "192.0.2.10", serverPort, proto: proto)
            if direction == .toClient { facts = facts.reversed }
            let flow = FlowContext(direction: direction, established: Bool.random(using: &rng), firstPacketInDirection: Bool.random(using: &rng))
            let app: AppProtocolState = [.unknown, .failed, .detected(.http), .detected(.tls), .detected(.dns)].randomElement(using: &rng)!
            var transactions: [AppTransaction] = []
            if let detected = app.detected, Bool.random(using: &rng) {
                var transaction = AppTransaction(appProtocol: detected, direction: .toServer, id: 0)
                let value = Array((0..<3).map { _ in payloadWords.randomElement(using: &rng)! }.joined().utf8)
                switch detected {
                case .http: transaction.set(.httpHost, value)
                case .tls: transaction.set(.tlsSNI, value)
                case .dns: transaction.set(.dnsQuery, value)
                }
                transactions.append(transaction)
            }
            let payload = Array((0..<Int.random(in: 0...6, using: &rng)).map { _ in payloadWords.randomElement(using: &rng)! }.joined().utf8)
            payload.withUnsafeBytes { bytes in
                let data = InspectionData(payload: bytes, payloadIsStream: Bool.random(using: &rng), transactions: transactions, appProtocol: app)
                let protocolClass = ProtocolClass.of(facts.ipProtocol)
                let linear = engine.rules.indices.filter {
                    engine.rules[$0].protocolClasses.contains(protocolClass)
                        && engine.rules[$0].matches(facts, flow: flow, data: data, state: FlowRuleState()) != nil
                }
                matched += linear.count
                var state = FlowRuleState()
                var scratch = EngineScratch()
                let decision = engine.evaluate(facts, flow: flow, data: data, state: &state, scratch: &scratch)
                let expected = strictOrderDecision(engine, matching: linear)
                #expect(decision.verdict == expected.verdict)
                #expect(decision.alerts.map(\.sid) == expected.sids)
            }
        }
        #expect(matched > 2000)
    }
}
