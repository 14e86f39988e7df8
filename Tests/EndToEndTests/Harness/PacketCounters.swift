/// iptables counters in a lab namespace's INPUT chain: one rule per counter, named by its comment,
/// matching without deciding anything (the chain's policy decides as before).
extension LabHandle {
    /// Counts, from now on, the packets `host` receives that match `match` (iptables match arguments),
    /// under `name`.
    func addPacketCounter(_ name: String, on host: LabHost, _ match: [String]) async throws {
        let rule = match + ["-m", "comment", "--comment", name]
        let added = try await exec(host, ["iptables-legacy", "-w", "5", "-I", "INPUT", "1"] + rule)
        guard added.status == 0 else { throw E2EFailure("cannot add the packet counter \(name):\n\(added.summary)") }
    }

    /// Starts every counter in `host`'s INPUT chain again from zero.
    func zeroPacketCounters(on host: LabHost) async throws {
        let zeroed = try await exec(host, ["iptables-legacy", "-w", "5", "-Z", "INPUT"])
        guard zeroed.status == 0 else { throw E2EFailure("cannot zero the packet counters:\n\(zeroed.summary)") }
    }

    /// The packets counted under `name` on `host` since ``addPacketCounter(_:on:_:)`` or the last ``zeroPacketCounters(on:)``.
    func countedPackets(_ name: String, on host: LabHost) async throws -> Int {
        try await rulePackets(on: host, table: "filter", chain: "INPUT", listedWith: ["/* \(name) */"])
    }

    /// The packets matched so far by the first rule of `table`'s `chain` on `host` whose line in
    /// `iptables -L -v -n` holds every one of `fragments` (a Rampart chain's rule, say).
    func rulePackets(on host: LabHost, table: String, chain: String, listedWith fragments: [String]) async throws -> Int {
        let listed = try await exec(host, ["iptables-legacy", "-w", "5", "-t", table, "-L", chain, "-v", "-n", "-x"])
        for line in listed.stdout.split(whereSeparator: \.isNewline) where fragments.allSatisfy({ line.contains($0) }) {
            if let packets = line.split(separator: " ").first.flatMap({ Int($0) }) { return packets }
        }
        throw E2EFailure("no rule listed with \(fragments) in \(table) \(chain):\n\(listed.stdout)")
    }
}
