@testable import Rules
import Shared
import Testing

/// A small deterministic generator, so a failure reproduces.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("StatefulEngine: candidate index")
struct CandidateIndexTests {
    static let ports: [UInt16] = [0, 21, 22, 23, 53, 79, 80, 81, 443, 1023, 1024, 5000, 8080, 65535]

    static func portExpression(_ rng: inout SplitMix64) -> String {
        let a = ports.randomElement(using: &rng)!
        let b = ports.randomElement(using: &rng)!
        switch Int.random(in: 0..<8, using: &rng) {
        case 0, 1: return "any"
        case 2: return "\(a)"
        case 3: return "\(min(a, b)):\(max(a, b))"
        case 4: return "[\(a),\(b)]"
        case 5: return "!\(a)"
        case 6: return "\(a):"
        default: return a == b ? "[\(a)]" : "[\(min(a, b)):\(max(a, b)),!\(a)]"
        }
    }

    @Test func indexAgreesWithALinearScan() throws {
        var rng = SplitMix64(state: 0x5EED)
        let addresses = ["any", "10.0.0.0/8", "!10.0.0.0/8", "10.1.2.3", "[192.0.2.0/24,2001:db8::/32]", "2001:db8::/32", "$HOME_NET", "$EXTERNAL_NET"]
        let protocols = ["tcp", "udp", "ip", "icmp", "dns", "http"]
        let actions = ["pass", "drop", "reject", "alert"]
        let flows = ["", "flow:established; ", "flow:to_client; ", "flow:not_established,to_server; "]
        var texts: [String] = []
        for sid in 1...400 {
            let header = [
                actions.randomElement(using: &rng)!, protocols.randomElement(using: &rng)!,
                addresses.randomElement(using: &rng)!, Self.portExpression(&rng), Bool.random(using: &rng) ? "->" : "<>",
                addresses.randomElement(using: &rng)!, Self.portExpression(&rng),
            ].joined(separator: " ")
            texts.append("\(header) (\(flows.randomElement(using: &rng)!)sid:\(sid);)")
        }
        let canonical = try RulesParser.parse(texts.joined(separator: "\n"), variables: .defaults).map(\.canonicalText)
        let engine = try makeEngine(canonical, order: .STRICT_ORDER)
        let hosts = ["10.0.0.1", "10.1.2.3", "192.0.2.7", "198.51.100.1", "2001:db8::1", "fd00::1"]
        let numbers: [UInt8] = [6, 17, 1, 58, 47]
        var checkedMatches = 0
        for _ in 0..<3000 {
            var source = hosts.randomElement(using: &rng)!
            var destination = hosts.randomElement(using: &rng)!
            if source.contains(":") != destination.contains(":") { destination = source.contains(":") ? "2001:db8::2" : "10.9.9.9" }
            if Bool.random(using: &rng) { swap(&source, &destination) }
            let facts = packet(
                source, Self.ports.randomElement(using: &rng)!, destination, Self.ports.randomElement(using: &rng)!,
                proto: numbers.randomElement(using: &rng)!
            )
            let flow = FlowContext(
                direction: Bool.random(using: &rng) ? .toServer : .toClient, established: Bool.random(using: &rng),
                firstPacketInDirection: Bool.random(using: &rng)
            )
            let protocolClass = ProtocolClass.of(facts.ipProtocol)
            let linear = engine.rules.indices.filter {
                engine.rules[$0].protocolClasses.contains(protocolClass) && engine.rules[$0].matches(facts, flow: flow, data: .empty, state: FlowRuleState()) != nil
            }
            var cursor = engine.allIndexes[protocolClass].candidates(port: facts.destinationPort)
            var candidates: [Int] = []
            while let number = cursor.next() { candidates.append(number) }
            #expect(candidates == candidates.sorted() && Set(candidates).count == candidates.count)
            let indexed = candidates.filter { engine.rules[$0].matches(facts, flow: flow, data: .empty, state: FlowRuleState()) != nil }
            #expect(indexed == linear)

            // The packet's signature group holds every rule that matches, ascending.
            let group = engine.groups.groups[engine.groups.group(facts, direction: flow.direction, appProtocol: .unknown)]
            var scratch = EngineScratch()
            group.collectCandidates(.empty, ruleCount: engine.rules.count, into: &scratch)
            let grouped = scratch.candidates.map(Int.init)
            #expect(grouped == grouped.sorted() && Set(grouped).count == grouped.count)
            #expect(grouped.filter { engine.rules[$0].matches(facts, flow: flow, data: .empty, state: FlowRuleState()) != nil } == linear)
            checkedMatches += linear.count

            // The decision follows from the linear matches.
            let decision = engine.evaluate(facts, flow: flow)
            let expected = strictOrderDecision(engine, matching: linear)
            #expect(decision.verdict == expected.verdict)
            #expect(decision.alerts.map(\.sid) == expected.sids)
        }
        #expect(checkedMatches > 1000)
    }
}

/// The decision of a strict-order engine whose matching rules are `matching` (ascending rule numbers): the
/// first terminal rule's verdict, and the sids of the alerts before it and its own unless it passes.
func strictOrderDecision(_ engine: StatefulEngine, matching: [Int]) -> (verdict: StatefulVerdict, sids: [Int]) {
    let terminal = matching.first { engine.rules[$0].action != .alert }
    let verdict: StatefulVerdict = switch terminal.map({ engine.rules[$0].action }) {
    case .pass: .pass
    case .drop: .drop
    case .reject: .reject
    case .alert, nil: .none
    }
    let raised = matching.prefix { $0 != terminal }.map { engine.rules[$0].alert.sid }
        + (terminal.map { engine.rules[$0].action == .pass ? [] : [engine.rules[$0].alert.sid] } ?? [])
    return (verdict, Array(raised.prefix(StatefulEngine.maximumAlerts)))
}
