@testable import Rules
import Testing

@Suite("Pattern set")
struct PatternSetTests {
    func selected(_ entries: [(rule: Int32, pattern: String)], in text: String) -> [Int32] {
        let set = PatternSet(entries.map { ($0.rule, Array($0.pattern.utf8)) })
        var scratch = EngineScratch()
        scratch.begin(ruleCount: 16)
        Array(text.utf8).withUnsafeBytes { set.scan($0, into: &scratch) }
        return scratch.candidates
    }

    @Test func selectsEveryRuleOfAnOccurringPatternOnce() {
        // Rules 3 and 5 share a pattern (the prefilter ignores case); it occurs twice.
        let entries: [(rule: Int32, pattern: String)] = [(3, "abc"), (5, "ABC"), (7, "xyz"), (9, "bcd")]
        #expect(selected(entries, in: "--abc--aBc--").sorted() == [3, 5])
        #expect(selected(entries, in: "abcd xyz").sorted() == [3, 5, 7, 9])
        #expect(selected(entries, in: "ab cd xy").isEmpty)
    }

    @Test func longPatternsAreLookedForByTheirFirstBytes() {
        let long = String(repeating: "p", count: PatternSet.maximumPatternLength) + "-tail"
        #expect(selected([(1, long)], in: String(long.prefix(PatternSet.maximumPatternLength))) == [1])
        #expect(selected([(1, long)], in: String(long.prefix(PatternSet.maximumPatternLength - 1))).isEmpty)
    }
}
