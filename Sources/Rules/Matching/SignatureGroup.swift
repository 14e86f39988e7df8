/// Suricata's signature group head: the rules that could match the packets of one protocol class,
/// direction, server-port range and application protocol, split into those the prefilter finds by their
/// fast pattern and those that are candidates for every packet of the group. A class, so that a packet
/// reaches its group's lists and automata through one reference.
final class SignatureGroup: Sendable {
    /// Rules without a fast pattern, ascending.
    let always: [Int32]
    /// The rules with a fast pattern.
    let prefilter: Prefilter

    /// The group of `members` (ascending rule numbers), sharing pattern sets through `shared`.
    init(rules: [CompiledRule], members: [Int32], shared: inout [PatternSet.Key: PatternSet]) {
        always = members.filter { rules[Int($0)].fastPattern == nil }
        prefilter = Prefilter(rules: rules, members: members, shared: &shared)
    }

    /// Fills `scratch.candidates` with the group's rules that could match `data`, ascending.
    @inline(__always)
    func collectCandidates(_ data: InspectionData, ruleCount: Int, into scratch: inout EngineScratch) {
        scratch.begin(ruleCount: ruleCount)
        scratch.candidates.append(contentsOf: always)
        let unsorted = always.count
        prefilter.scan(data, into: &scratch)
        // The prefilter's rules are disjoint from `always`; sort them and merge the two runs.
        if scratch.candidates.count > unsorted { scratch.mergeCandidates(sortedPrefix: unsorted) }
    }
}
