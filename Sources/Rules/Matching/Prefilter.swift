/// Suricata's multi-pattern prefilter: per inspection buffer, one Aho–Corasick automaton over the fast
/// patterns of the rules that inspect that buffer. A packet scans each buffer it has once; only rules whose
/// fast pattern occurs (ignoring case — the full inspection checks case) become candidates, so the cost
/// grows with the bytes scanned and the rules that could match, not with the size of the rule set.
struct Prefilter: Sendable {
    /// Patterns longer than this are looked for by their first bytes only (a prefix of an occurring
    /// pattern occurs too), which bounds the automaton's size.
    static let maximumPatternLength = 32

    /// By `InspectionBuffer.index`: the automaton and, per pattern id, the rules it selects.
    private let automata: [AhoCorasick?]
    private let rulesOfPattern: [[[Int32]]]

    /// The number of rules that have a fast pattern.
    let ruleCount: Int

    init(rules: [CompiledRule]) {
        let bufferCount = InspectionBuffer.allCases.count
        var patterns = [[[UInt8]]](repeating: [], count: bufferCount)
        var idOfPattern = [[[UInt8]: Int]](repeating: [:], count: bufferCount)
        var rulesOfPattern = [[[Int32]]](repeating: [], count: bufferCount)
        var ruleCount = 0
        for (number, rule) in rules.enumerated() {
            guard let fast = rule.fastPattern else { continue }
            ruleCount += 1
            let buffer = fast.buffer.index
            let key = Array(fast.pattern.prefix(Prefilter.maximumPatternLength).map(AhoCorasick.lower))
            if let id = idOfPattern[buffer][key] {
                rulesOfPattern[buffer][id].append(Int32(number))
            } else {
                idOfPattern[buffer][key] = patterns[buffer].count
                patterns[buffer].append(key)
                rulesOfPattern[buffer].append([Int32(number)])
            }
        }
        automata = patterns.map { $0.isEmpty ? nil : AhoCorasick(patterns: $0) }
        self.rulesOfPattern = rulesOfPattern
        self.ruleCount = ruleCount
    }

    /// Whether any rule has a fast pattern in `buffer`.
    @inline(__always)
    func covers(_ buffer: InspectionBuffer) -> Bool {
        automata[buffer.index] != nil
    }

    /// Adds to `scratch` every rule whose fast pattern for `buffer` occurs in `bytes`.
    @inline(__always)
    func scan(_ buffer: InspectionBuffer, _ bytes: UnsafeRawBufferPointer, into scratch: inout EngineScratch) {
        guard let automaton = automata[buffer.index] else { return }
        let selected = rulesOfPattern[buffer.index]
        automaton.scan(bytes) { id in
            for rule in selected[Int(id)] { scratch.add(rule) }
        }
    }
}
