/// The fast patterns of some rules in one buffer, compiled to one Aho–Corasick automaton, and the rules
/// each pattern selects. Rules sharing a pattern share its automaton entry. A class: signature groups
/// share equal pattern sets, and a scan reaches the tables through one reference.
final class PatternSet: Sendable {
    /// Patterns longer than this are looked for by their first bytes only (a prefix of an occurring
    /// pattern occurs too), which bounds the automaton's size.
    static let maximumPatternLength = 32

    /// What identifies a pattern set when signature groups share them: the buffer and its rules.
    struct Key: Hashable {
        let buffer: Int
        let rules: [Int32]
    }

    let automaton: AhoCorasick
    /// The rules of pattern `id` are `rules[ruleStart[id]..<ruleStart[id + 1]]`, ascending.
    private let ruleStart: [Int32]
    private let rules: [Int32]

    /// `entries` are rule numbers with their fast patterns, in ascending rule number.
    init(_ entries: [(rule: Int32, pattern: [UInt8])]) {
        var idOfPattern: [[UInt8]: Int] = [:]
        var patterns: [[UInt8]] = []
        var rulesOfPattern: [[Int32]] = []
        for entry in entries {
            let key = Array(entry.pattern.prefix(PatternSet.maximumPatternLength).map(AhoCorasick.lower))
            if let id = idOfPattern[key] {
                rulesOfPattern[id].append(entry.rule)
            } else {
                idOfPattern[key] = patterns.count
                patterns.append(key)
                rulesOfPattern.append([entry.rule])
            }
        }
        automaton = AhoCorasick(patterns: patterns)
        var ruleStart: [Int32] = [0]
        ruleStart.reserveCapacity(patterns.count + 1)
        for selected in rulesOfPattern { ruleStart.append(ruleStart[ruleStart.count - 1] + Int32(selected.count)) }
        self.ruleStart = ruleStart
        rules = rulesOfPattern.flatMap { $0 }
    }

    /// Adds to `scratch` every rule whose pattern occurs in `bytes` (ignoring case: the full inspection
    /// checks case).
    @inline(__always)
    func scan(_ bytes: UnsafeRawBufferPointer, into scratch: inout EngineScratch) {
        ruleStart.withUnsafeBufferPointer { ruleStart in
            rules.withUnsafeBufferPointer { rules in
                automaton.scan(bytes) { id in
                    for index in Int(ruleStart[Int(id)])..<Int(ruleStart[Int(id) + 1]) { scratch.add(rules[index]) }
                }
            }
        }
    }
}
