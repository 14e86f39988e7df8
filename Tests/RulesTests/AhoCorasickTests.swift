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

    /// Occurrences per pattern id by trying every pattern at every position, ignoring ASCII case.
    func naiveCounts(_ patterns: [[UInt8]], in text: [UInt8]) -> [Int32: Int] {
        var counts: [Int32: Int] = [:]
        for (id, pattern) in patterns.enumerated() where pattern.count <= text.count {
            for start in 0...(text.count - pattern.count)
            where zip(pattern, text[start...]).allSatisfy({ AhoCorasick.lower($0) == AhoCorasick.lower($1) }) {
                counts[Int32(id), default: 0] += 1
            }
        }
        return counts
    }

    /// Hundreds of short patterns over a few letters share prefixes and suffixes, so the automaton has
    /// deep states, long failure chains and output chains. Below `splitLength` every count equals the naive
    /// search's; above, the interleaved parts report every occurring pattern, some occurrences twice.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func agreesWithANaiveSearch(seed: UInt64) {
        var random = SplitMix64(state: seed)
        let alphabet: [UInt8] = Array("abcAB".utf8) + [0x00, 0xFF]
        let patterns = (0..<Int.random(in: 50...300, using: &random)).map { _ in
            (0..<Int.random(in: 1...10, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
        }
        let automaton = AhoCorasick(patterns: patterns)
        #expect(automaton.stateCount > 100)
        for length in [AhoCorasick.splitLength - 1, AhoCorasick.splitLength, 3001] {
            let text = (0..<length).map { _ in
                Bool.random(using: &random) ? alphabet.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
            }
            var counts: [Int32: Int] = [:]
            text.withUnsafeBytes { automaton.scan($0) { counts[$0, default: 0] += 1 } }
            let naive = naiveCounts(patterns, in: text)
            if length < AhoCorasick.splitLength {
                #expect(counts == naive)
            } else {
                #expect(Set(counts.keys) == Set(naive.keys))
                #expect(naive.allSatisfy { counts[$0.key, default: 0] >= $0.value })
            }
        }
    }

    /// A pattern across a boundary between the parts of a long input is found.
    @Test func findsAPatternAcrossTheMiddleOfALongInput() {
        let text = String(repeating: "x", count: 998) + "needle" + String(repeating: "y", count: 996)
        #expect(matches(["needle", "xy"], in: text) == [0])
        #expect(Set(matches(["xn", "ey"], in: text)) == [0, 1])
    }

    @Test func reportsEveryOccurrenceAndNothingElse() {
        #expect(matches(["ab"], in: "abxabab") == [0, 0, 0])
        #expect(matches(["abc"], in: "ababab").isEmpty)
        #expect(matches(["a", "aa"], in: "aaa") == [0, 1, 0, 1, 0])
    }
}
