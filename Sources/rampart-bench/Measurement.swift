import DataPlane
import Foundation
import Rules
import Shared

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

struct RunResult {
    /// Wall-clock seconds.
    var seconds: Double
    /// Seconds the measuring thread ran on a CPU: on a shared machine, wall-clock time also counts the
    /// time other processes held the CPU.
    var cpuSeconds: Double
    var alerts: UInt64
    var offloaded: UInt64
}

/// The CPU time of the calling thread, in seconds.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// Runs the whole capture through a fresh processor once.
func runCapture(_ capture: Capture, snapshot: CompiledSnapshot) -> RunResult {
    let clock = ContinuousClock()
    var processor = PacketProcessor(configuration: PacketProcessorConfiguration(enforce: false))
    var events: [EveEvent] = []
    events.reserveCapacity(1024)
    let count = capture.packetCount
    let start = clock.now
    let cpuStart = threadCPUSeconds()
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
    let cpuSeconds = threadCPUSeconds() - cpuStart
    let counters = processor.currentCounters
    return RunResult(seconds: seconds, cpuSeconds: cpuSeconds, alerts: counters.alerts, offloaded: counters.offloaded)
}

struct SetResult {
    var rules: Int
    var pps: Double
    /// Packets per second of CPU time.
    var cpuPPS: Double
}

/// Measures each rule set: compiles them all, then runs the capture through each in turn for `runs`
/// rounds and keeps each set's fastest run. Taking the rounds in turn makes a burst of load on a shared
/// machine slow every set alike, rather than only the set that happened to be running.
func measure(_ sets: [(label: String, rules: [Rule])], capture: Capture, runs: Int) -> [SetResult] {
    let clock = ContinuousClock()
    var compiled: [(label: String, rules: Int, snapshot: CompiledSnapshot, compileSeconds: Double)] = []
    for set in sets {
        let compileStart = clock.now
        do {
            let snapshot = try CompiledSnapshot(rules: set.rules)
            compiled.append((set.label, set.rules.count, snapshot, (clock.now - compileStart).seconds))
        } catch {
            print("\(set.label)rules=\(set.rules.count): cannot compile: \(error)")
        }
    }
    var best = [RunResult?](repeating: nil, count: compiled.count)
    var cpuSeconds = [Double](repeating: .infinity, count: compiled.count)
    for _ in 0..<runs {
        for (index, set) in compiled.enumerated() {
            let result = runCapture(capture, snapshot: set.snapshot)
            if best[index] == nil || result.seconds < best[index]!.seconds { best[index] = result }
            cpuSeconds[index] = min(cpuSeconds[index], result.cpuSeconds)
        }
    }
    return compiled.indices.compactMap { index in
        guard let run = best[index] else { return nil }
        let set = compiled[index]
        let pps = Double(capture.packetCount) / run.seconds
        let cpuPPS = Double(capture.packetCount) / cpuSeconds[index]
        print(
            "\(set.label)rules=\(set.rules) packets=\(capture.packetCount) seconds=\(String(format: "%.3f", run.seconds)) "
                + "pps=\(String(format: "%.0f", pps)) cpu-pps=\(String(format: "%.0f", cpuPPS)) "
                + "compile=\(String(format: "%.3f", set.compileSeconds))s alerts=\(run.alerts) offloaded=\(run.offloaded)"
        )
        return SetResult(rules: set.rules, pps: pps, cpuPPS: cpuPPS)
    }
}
