/// Suricata's multi-pattern prefilter for one signature group: per inspection buffer, one Aho–Corasick
/// automaton (`PatternSet`) over the fast patterns of the group's rules that inspect that buffer. A packet
/// scans each buffer it has once; only rules whose fast pattern occurs (ignoring case — the full inspection
/// checks case) become candidates, so the cost grows with the bytes scanned and the rules that could match,
/// not with the size of the rule set.
struct Prefilter: Sendable {
    /// The payload's pattern set, when a rule of the group has its fast pattern there.
    let payload: PatternSet?
    /// The application buffers that hold a fast pattern of the group, by `InspectionBuffer.index`.
    let applicationBuffers: [(index: Int, patterns: PatternSet)]

    /// The prefilter of `members` (ascending rule numbers; those without a fast pattern are skipped),
    /// reusing the pattern sets of `shared` and adding its new ones there.
    init(rules: [CompiledRule], members: [Int32], shared: inout [PatternSet.Key: PatternSet]) {
        var byBuffer = [[(rule: Int32, pattern: [UInt8])]](repeating: [], count: InspectionBuffer.allCases.count)
        for number in members {
            guard let fast = rules[Int(number)].fastPattern else { continue }
            byBuffer[fast.buffer.index].append((number, fast.pattern))
        }
        var sets: [(index: Int, patterns: PatternSet)] = []
        for (index, entries) in byBuffer.enumerated() where !entries.isEmpty {
            let key = PatternSet.Key(buffer: index, rules: entries.map(\.rule))
            let patterns = shared[key] ?? PatternSet(entries)
            shared[key] = patterns
            sets.append((index, patterns))
        }
        let payloadIndex = InspectionBuffer.payload.index
        payload = sets.first { $0.index == payloadIndex }?.patterns
        applicationBuffers = sets.filter { $0.index != payloadIndex }
    }

    /// Adds to `scratch` every rule whose fast pattern occurs in its buffer: the payload, the stream data
    /// and each transaction's values.
    @inline(__always)
    func scan(_ data: InspectionData, into scratch: inout EngineScratch) {
        if let payload, data.payloadInspection {
            if data.payload.count > 0 { payload.scan(data.payload, into: &scratch) }
            if let stream = data.stream, stream.count > 0 { payload.scan(stream, into: &scratch) }
        }
        guard !applicationBuffers.isEmpty else { return }
        for transaction in data.transactions {
            for (index, patterns) in applicationBuffers {
                for value in transaction.values[index] {
                    value.withUnsafeBytes { patterns.scan($0, into: &scratch) }
                }
            }
        }
    }
}
