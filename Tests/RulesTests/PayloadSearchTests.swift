@testable import Rules
import Testing

/// `body` over the bytes of `text`.
func withBytes<T>(_ text: String, _ body: (UnsafeRawBufferPointer) -> T) -> T {
    Array(text.utf8).withUnsafeBytes(body)
}

@Suite("Payload: content search")
struct PayloadContentSearchTests {
    /// The first start of `pattern` in `bytes[from..<to]`, the slow obvious way.
    static func naive(_ pattern: [UInt8], in bytes: [UInt8], from: Int, to: Int, nocase: Bool) -> Int? {
        let fold: (UInt8) -> UInt8 = { nocase && $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        let from = max(from, 0)
        let to = min(to, bytes.count)
        guard to - from >= pattern.count else { return nil }
        for start in from...(to - pattern.count) where (0..<pattern.count).allSatisfy({ fold(bytes[start + $0]) == fold(pattern[$0]) }) {
            return start
        }
        return nil
    }

    @Test func findsTheFirstOccurrenceInsideTheWindow() {
        let searcher = ContentSearcher(pattern: Array("abc".utf8), nocase: false)
        withBytes("xxabcxxabc") { buffer in
            #expect(searcher.find(in: buffer, from: 0, to: 10) == 2)
            #expect(searcher.find(in: buffer, from: 3, to: 10) == 7)
            #expect(searcher.find(in: buffer, from: 0, to: 4) == nil)  // must lie entirely inside
            #expect(searcher.find(in: buffer, from: 0, to: 5) == 2)
            #expect(searcher.find(in: buffer, from: 8, to: 10) == nil)
            #expect(searcher.find(in: buffer, from: -5, to: 99) == 2)
        }
    }

    @Test func nocaseFoldsASCIIOnly() {
        let searcher = ContentSearcher(pattern: Array("User-Agent".utf8), nocase: true)
        withBytes("GET / HTTP/1.1\r\nuSER-aGENT: x") { buffer in
            #expect(searcher.find(in: buffer, from: 0, to: buffer.count) == 16)
        }
        let exact = ContentSearcher(pattern: Array("User-Agent".utf8), nocase: false)
        withBytes("uSER-aGENT") { buffer in
            #expect(exact.find(in: buffer, from: 0, to: buffer.count) == nil)
        }
        // 0xC9 and 0xE9 differ by 0x20 but are not ASCII letters.
        let latin = ContentSearcher(pattern: [0xC9], nocase: true)
        [UInt8]([0xE9, 0xC9]).withUnsafeBytes { buffer in
            #expect(latin.find(in: buffer, from: 0, to: 2) == 1)
        }
    }

    @Test func binaryBytesAndNul() {
        let searcher = ContentSearcher(pattern: [0x00, 0x01, 0x00], nocase: false)
        [UInt8]([0x00, 0x00, 0x01, 0x00, 0x01]).withUnsafeBytes { buffer in
            #expect(searcher.find(in: buffer, from: 0, to: 5) == 1)
            #expect(searcher.occurs(in: buffer, at: 1))
            #expect(!searcher.occurs(in: buffer, at: 2))
            #expect(!searcher.occurs(in: buffer, at: 4))
        }
    }

    @Test func emptyBuffer() {
        let searcher = ContentSearcher(pattern: [0x41], nocase: true)
        [UInt8]().withUnsafeBytes { buffer in
            #expect(searcher.find(in: buffer, from: 0, to: 0) == nil)
            #expect(!searcher.occurs(in: buffer, at: 0))
        }
    }

    @Test(arguments: [false, true])
    func agreesWithANaiveSearch(nocase: Bool) {
        var rng = SplitMix64(state: nocase ? 0xC0FFEE : 0xBEEF)
        let alphabet: [UInt8] = Array("aAbB|".utf8) + [0, 0xFF]
        for _ in 0..<4000 {
            let length = Int.random(in: 0...40, using: &rng)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
            let patternLength = Int.random(in: 1...(Bool.random(using: &rng) ? 3 : 9), using: &rng)
            var pattern = (0..<patternLength).map { _ in alphabet.randomElement(using: &rng)! }
            if length >= patternLength, Bool.random(using: &rng) {
                let at = Int.random(in: 0...(length - patternLength), using: &rng)
                pattern = Array(bytes[at..<(at + patternLength)])
            }
            let from = Int.random(in: -2...(length + 1), using: &rng)
            let to = Int.random(in: from...(length + 3), using: &rng)
            let searcher = ContentSearcher(pattern: pattern, nocase: nocase)
            let found = bytes.withUnsafeBytes { searcher.find(in: $0, from: from, to: to) }
            let expected = Self.naive(pattern, in: bytes, from: from, to: to, nocase: nocase)
            #expect(found == expected, "pattern \(pattern) in \(bytes) [\(from), \(to))")
            if found != expected { return }
        }
    }

    @Test func longPatternsBeyondTheShiftCap() {
        let pattern = [UInt8](repeating: UInt8(ascii: "a"), count: 300) + [UInt8(ascii: "b")]
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 1000) + [UInt8(ascii: "b")]
        for nocase in [false, true] {
            let searcher = ContentSearcher(pattern: pattern, nocase: nocase)
            #expect(bytes.withUnsafeBytes { searcher.find(in: $0, from: 0, to: $0.count) } == 700)
        }
    }
}

@Suite("Payload: Regex")
struct PayloadRegexTests {
    static func first(_ expression: String, _ flags: Set<Character> = [], in text: String, from: Int = 0) throws -> [Int]? {
        let regex = try Regex(expression: expression, flags: flags)
        return withBytes(text) { regex.firstMatch(in: $0, from: from) }.map { [$0.start, $0.end] }
    }

    @Test func findsTheFirstMatchFromAnOffset() throws {
        #expect(try Self.first("\\d+", in: "ab123cd45") == [2, 5])
        #expect(try Self.first("\\d+", in: "ab123cd45", from: 5) == [7, 9])
        #expect(try Self.first("\\d+", in: "abc") == nil)
        #expect(try Self.first("x", in: "abc", from: 4) == nil)
    }

    @Test func modifiers() throws {
        #expect(try Self.first("admin", in: "ADMIN") == nil)
        #expect(try Self.first("admin", ["i"], in: "ADMIN") != nil)
        #expect(try Self.first("a.b", in: "a\nb") == nil)
        #expect(try Self.first("a.b", ["s"], in: "a\nb") != nil)
        #expect(try Self.first("^b", in: "a\nb") == nil)
        #expect(try Self.first("^b", ["m"], in: "a\nb") == [2, 3])
        #expect(try Self.first("a b", ["x"], in: "ab") != nil)
        #expect(try Self.first("b", ["A"], in: "ab") == nil)
        #expect(try Self.first("a", ["A"], in: "ab") != nil)
        #expect(try Self.first("a$", in: "a\n") != nil)
        #expect(try Self.first("a$", ["E"], in: "a\n") == nil)
        #expect(try Self.first("a+", in: "aaa") == [0, 3])
        #expect(try Self.first("a+", ["G"], in: "aaa") == [0, 1])
    }

    @Test func backReferencesStillWork() throws {
        #expect(try Self.first("(a|b)\\1", in: "abba") == [1, 3])
    }

    @Test func matchesBytesNotUnicode() throws {
        let regex = try Regex(expression: "\\x00\\xff.", flags: [])
        let found = [UInt8]([0x41, 0x00, 0xFF, 0xC3]).withUnsafeBytes { regex.firstMatch(in: $0, from: 0) }
        #expect(found?.start == 1)
        #expect(found?.end == 4)
    }

    @Test func emptySubject() throws {
        let regex = try Regex(expression: "^$", flags: [])
        #expect([UInt8]().withUnsafeBytes { regex.firstMatch(in: $0, from: 0) } != nil)
    }

    @Test func catastrophicBacktrackingGivesUpInsteadOfHanging() throws {
        let regex = try Regex(expression: "(a+)+$", flags: [])
        let text = String(repeating: "a", count: 40) + "!"
        #expect(withBytes(text) { regex.search($0, from: 0) } == .failed)
        #expect(withBytes(text) { regex.firstMatch(in: $0, from: 0) } == nil)
    }

    @Test func concurrentMatchesOnManyThreads() async throws {
        let regex = try Regex(expression: "id=(\\d+);", flags: ["i"])
        let results = await withTaskGroup(of: Bool.self) { group in
            for task in 0..<64 {
                group.addTask {
                    var ok = true
                    for round in 0..<500 {
                        let number = task * 1000 + round
                        let text = String(repeating: "x", count: round % 17) + "ID=\(number);"
                        let found = withBytes(text) { regex.firstMatch(in: $0, from: 0) }
                        ok = ok && found?.start == round % 17 && found?.end == text.utf8.count
                    }
                    return ok
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0 })
    }
}
