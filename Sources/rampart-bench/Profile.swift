import DataPlane
import Foundation
import Rules
import Shared

/// `--profile`: where the time of the 10,000-rule set goes, by timing the processor with subsets of the
/// rules and the rule engine alone on each packet's payload.
enum Profile {
    /// Mirrors the engine's fast-pattern choice closely enough to split the set: a non-negated, non-empty
    /// `content` in a buffer whose transforms keep the pattern findable; nil when the rule has none.
    static func fastPatternBuffer(_ rule: Rule) -> InspectionBuffer? {
        for inspection in rule.inspections {
            guard inspection.transforms.allSatisfy({ $0 == .dotPrefix || $0 == .toLowercase || $0 == .toUppercase }) else { continue }
            for step in inspection.steps {
                if case .content(let content) = step, !content.negated, !content.pattern.isEmpty { return inspection.buffer }
            }
        }
        return nil
    }

    static func run(rules: [Rule], capture: Capture, runs: Int) {
        print("--- profile of the \(rules.count)-rule set")
        let withPattern = rules.filter { fastPatternBuffer($0) != nil }
        let payloadPattern = withPattern.filter { fastPatternBuffer($0) == .payload }
        let stickyPattern = withPattern.filter { fastPatternBuffer($0) != .payload }
        let without = rules.filter { fastPatternBuffer($0) == nil }
        let ipOnly = without.filter(\.isIPOnly)
        let withoutNotIPOnly = without.filter { !$0.isIPOnly }
        print(
            "rules with a fast pattern: \(withPattern.count) (payload \(payloadPattern.count), sticky buffers \(stickyPattern.count)); "
                + "always candidates (no fast pattern): \(without.count) (IP-only \(ipOnly.count), other \(withoutNotIPOnly.count))"
        )
        var byProtocol: [String: Int] = [:]
        for rule in without { byProtocol[rule.header.proto.rawValue, default: 0] += 1 }
        print("always candidates by protocol: " + byProtocol.sorted { $0.value > $1.value }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        if let engine = try? StatefulEngine(rules: rules, ruleOrder: .DEFAULT_ACTION_ORDER) { print("prefilter: \(engine.groupSummary)") }

        _ = measure(
            [
                ("fast-pattern only: ", withPattern), ("  payload fast pattern: ", payloadPattern), ("  sticky fast pattern: ", stickyPattern),
                ("always-candidate only: ", without), ("  IP-only: ", ipOnly), ("  not IP-only: ", withoutNotIPOnly),
            ],
            capture: capture, runs: runs
        )

        // The engine alone, on each packet's own payload (no stream, no transactions, no app layer).
        print("engine alone (payload only, every packet as established mid-flow):")
        for (label, subset) in [("0", [Rule]()), ("all", rules), ("fast-pattern", withPattern), ("always-candidate", without)] {
            guard let engine = try? StatefulEngine(rules: subset, ruleOrder: .DEFAULT_ACTION_ORDER) else { continue }
            var best = Double.infinity
            var alerts = 0
            for _ in 0..<runs {
                let (seconds, count) = engineOnly(engine, capture: capture)
                if seconds < best { best = seconds; alerts = count }
            }
            print(
                "  engine \(label) (\(subset.count) rules): \(String(format: "%.3f", best))s, "
                    + "\(String(format: "%.1f", best / Double(capture.packetCount) * 1e6)) µs/packet, alerts=\(alerts)"
            )
        }
    }

    static func engineOnly(_ engine: StatefulEngine, capture: Capture) -> (Double, Int) {
        let clock = ContinuousClock()
        var scratch = EngineScratch()
        var alerts = 0
        let count = capture.packetCount
        let start = clock.now
        capture.bytes.withUnsafeBytes { all in
            for index in 0..<count {
                let bytes = UnsafeRawBufferPointer(rebasing: all[capture.offsets[index]..<capture.offsets[index + 1]])
                guard let packet = try? PacketDecoder.decode(bytes) else { continue }
                let end = min(bytes.count, packet.payloadOffset + packet.payloadLength)
                let payload = packet.payloadOffset < end
                    ? UnsafeRawBufferPointer(rebasing: bytes[packet.payloadOffset..<end]) : UnsafeRawBufferPointer(start: nil, count: 0)
                let toServer = packet.source.description.hasPrefix("198.18.")
                let context = FlowContext(direction: toServer ? .toServer : .toClient, established: true, firstPacketInDirection: false)
                var state = FlowRuleState()
                let decision = engine.evaluate(
                    packet.facts, flow: context, data: InspectionData(payload: payload, payloadIsStream: true), state: &state, scratch: &scratch
                )
                alerts += decision.alerts.count
            }
        }
        return ((clock.now - start).seconds, alerts)
    }
}
