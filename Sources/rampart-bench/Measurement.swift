import DataPlane
import Foundation
import Rules
import Shared

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

struct RunResult {
    var seconds: Double
    var alerts: UInt64
    var offloaded: UInt64
}

/// Runs the whole capture through a fresh processor once.
func runCapture(_ capture: Capture, snapshot: CompiledSnapshot) -> RunResult {
    let clock = ContinuousClock()
    var processor = PacketProcessor(configuration: PacketProcessorConfiguration(enforce: false))
    var events: [EveEvent] = []
    events.reserveCapacity(1024)
    let count = capture.packetCount
    let start = clock.now
    capture.bytes.withUnsafeBytes { all in
        capture.offsets.withUnsafeBufferPointer { offsets in
            for index in 0..<count {
                let packet = UnsafeRawBufferPointer(rebasing: all[offsets[index]..<offsets[index + 1]])
                let now = Double(index) * 0.0001
                _ = processor.process(bytes: packet, snapshot: snapshot, now: now, wallClock: 1_715_000_000 + now, events: &events)
                if index & 63 == 63 {
                    processor.expireFlows(now: now)
                    events.removeAll(keepingCapacity: true)
                }
            }
        }
    }
    let seconds = (clock.now - start).seconds
    let counters = processor.currentCounters
    return RunResult(seconds: seconds, alerts: counters.alerts, offloaded: counters.offloaded)
}

struct SetResult {
    var rules: Int
    var pps: Double
}

func measure(label: String, rules: [Rule], capture: Capture, runs: Int) -> SetResult? {
    let clock = ContinuousClock()
    let compileStart = clock.now
    let snapshot: CompiledSnapshot
    do {
        snapshot = try CompiledSnapshot(rules: rules)
    } catch {
        print("\(label): cannot compile: \(error)")
        return nil
    }
    let compileSeconds = (clock.now - compileStart).seconds
    var best: RunResult?
    for _ in 0..<runs {
        let result = runCapture(capture, snapshot: snapshot)
        if best == nil || result.seconds < best!.seconds { best = result }
    }
    guard let best else { return nil }
    let pps = Double(capture.packetCount) / best.seconds
    print(
        "\(label)rules=\(rules.count) packets=\(capture.packetCount) seconds=\(String(format: "%.3f", best.seconds)) "
            + "pps=\(String(format: "%.0f", pps)) compile=\(String(format: "%.3f", compileSeconds))s "
            + "alerts=\(best.alerts) offloaded=\(best.offloaded)"
    )
    return SetResult(rules: rules.count, pps: pps)
}
