import Testing

@testable import Rules

@Suite("Aho-Corasick")
struct AhoCorasickTests {
    func matches(_ patterns: [String], in text: String) -> [Int32] {
        let automaton = AhoCorasick(patterns: patterns.map { Array($0.utf8) })
        var found: [Int32] = []
        Array(text.utf8).withUnsafeBytes { automaton.scan($0) { found.append($0) } }
        return found
    }

    @Test func findsOverlappingAndNestedPatternsThroughTheOutputChain() {
        // "he", "she", "his", "hers" over "ushers": she, he (suffix of she), hers.
        #expect(matches(["he", "she", "his", "hers"], in: "ushers") == [1, 0, 3])
    }

    @Test func ignoresAsciiCase() {
        #expect(matches(["host:"], in: "GET / HTTP/1.1\r\nHOST: x") == [0])
    }

    @Test func reportsEveryOccurrenceAndNothingElse() {
        #expect(matches(["ab"], in: "abxabab") == [0, 0, 0])
        #expect(matches(["abc"], in: "ababab").isEmpty)
        #expect(matches(["a", "aa"], in: "aaa") == [0, 1, 0, 1, 0])
    }
}
