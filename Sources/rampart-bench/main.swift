import DataPlane
import Foundation
import Rules
import Shared

// `rampart-bench`: packets per second of the worker's packet path (`PacketProcessor`) over a generated
// capture, with 0, 1,000 and 10,000 ET Open rules. A benchmark, not a test: it prints numbers.
//
//   rampart-bench --rules-dir DIR [--quick] [--profile] [--runs N] [--sets 0,1000,10000]
//
// The capture is generated in memory from a seeded PRNG, so every run sees the same packets: ~2,000 flows
// (HTTP/1.1 over TCP, TLS ClientHello with SNI, DNS over UDP, plain UDP), raw IPv4 packets with addresses
// from 198.18.0.0/15 (clients in 198.18.0.0/16 = `HOME_NET`, servers in 198.19.0.0/16).


let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
guard let rulesDirectory = options.rulesDirectory else { Options.usage("--rules-dir is required") }

let clock = ContinuousClock()
let generationStart = clock.now
let capture = CaptureGenerator.generate(targetPackets: options.quick ? 20_000 : 100_000, seed: 0x5241_4D50_4152_54)
let kinds = capture.flowsByKind.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
print(
    "capture: \(capture.packetCount) packets, \(capture.flows) flows (\(kinds)), \(capture.bytes.count) bytes, "
        + "generated in \(String(format: "%.2f", (clock.now - generationStart).seconds))s"
)

// Clients are the home network, as they would be behind the firewall; servers are outside it.
let variables: VariableScope
do {
    variables = try VariableScope.make(
        group: nil, policy: PolicyVariables(RuleVariables: ["HOME_NET": IPSet(Definition: ["198.18.0.0/16"])])
    )
} catch {
    print("cannot build the rule variables: \(error)")
    exit(1)
}
let loadStart = clock.now
let (available, total) = loadRules(directory: rulesDirectory, variables: variables)
print(
    "ET Open: \(available.count) of \(total) rules loadable (parsed in \(String(format: "%.2f", (clock.now - loadStart).seconds))s)"
)

for size in options.sets where size > available.count { print("note: only \(available.count) rules available for the \(size) set") }
let results = measure(options.sets.map { ("", Array(available.prefix($0))) }, capture: capture, runs: options.runs)
if let base = results.first(where: { $0.rules == 0 }), let large = results.last, large.rules > 0 {
    print(
        "ratio 10k/0 = \(String(format: "%.3f", large.pps / base.pps)) (target >= 0.5); "
            + "in CPU time \(String(format: "%.3f", large.cpuPPS / base.cpuPPS))"
    )
}

if options.profile {
    Profile.run(rules: Array(available.prefix(10_000)), capture: capture, runs: options.runs)
}
