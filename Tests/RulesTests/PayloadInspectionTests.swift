@testable import Rules
import Testing

/// A `content` step; `value` is written as between the rule's quotes (`|0d 0a|` and escapes allowed).
func contentStep(
    _ value: String, negated: Bool = false, nocase: Bool = false, offset: Int? = nil, depth: Int? = nil, distance: Int? = nil,
    within: Int? = nil, startsWith: Bool = false, endsWith: Bool = false
) throws -> DetectionStep {
    var content = ContentMatch(pattern: try ContentMatch.parsePattern("\"\(value)\"").pattern)
    content.negated = negated
    content.nocase = nocase
    content.offset = offset
    content.depth = depth
    content.distance = distance
    content.within = within
    content.startsWith = startsWith
    content.endsWith = endsWith
    return .content(content)
}

/// A `pcre` step from its option value (`"/x/R"`, `!"/x/"`).
func pcreStep(_ value: String) throws -> DetectionStep {
    .pcre(try PcreMatch.parse(value).0)
}

func byteTestStep(_ value: String) throws -> DetectionStep {
    .byteTest(try ByteTest.parse(value))
}

func dataAtStep(_ value: String) throws -> DetectionStep {
    .dataAt(try DataAtCheck.parse(value))
}

func bsizeStep(_ value: String) throws -> DetectionStep {
    .bufferSize(try NumericCondition.parse(value))
}

/// Whether `steps`, compiled, match `bytes`.
func inspects(_ steps: [DetectionStep], _ bytes: [UInt8]) throws -> Bool {
    let program = try InspectionProgram(BufferInspection(buffer: .payload, steps: steps))
    return bytes.withUnsafeBytes { program.matches($0) }
}

/// Whether `steps`, compiled, match the UTF-8 bytes of `text`.
func inspects(_ steps: [DetectionStep], _ text: String) throws -> Bool {
    try inspects(steps, Array(text.utf8))
}

@Suite("Payload inspection: absolute content")
struct PayloadAbsoluteContentTests {
    @Test func anywhereByDefault() throws {
        #expect(try inspects([contentStep("NICK ")], "PING x\r\nNICK bob"))
        #expect(try !inspects([contentStep("NICK ")], "PING x\r\nnick bob"))
        #expect(try inspects([contentStep("NICK ", nocase: true)], "PING x\r\nnick bob"))
        #expect(try inspects([contentStep("|0d 0a|NICK")], "PING x\r\nNICK bob"))
    }

    @Test func offsetAndDepthBoundTheWindow() throws {
        // Suricata's example: content:"def"; offset:3; depth:3; checks bytes 3 to 6.
        let def = try contentStep("def", offset: 3, depth: 3)
        #expect(try inspects([def], "abcdef"))
        #expect(try !inspects([def], "abcxdef"))
        #expect(try !inspects([def], "defabc"))
        #expect(try inspects([contentStep("abc", depth: 3)], "abcd"))
        #expect(try !inspects([contentStep("abc", depth: 3)], "xabc"))
        #expect(try inspects([contentStep("abc", offset: 1)], "xabc"))
        #expect(try !inspects([contentStep("abc", offset: 1)], "abcx"))
        #expect(try !inspects([contentStep("abc", offset: 10)], "abcabc"))
    }

    @Test func startsWith() throws {
        let get = try contentStep("GET|20|", startsWith: true)
        #expect(try inspects([get], "GET /index.html"))
        #expect(try !inspects([get], " GET /index.html"))
        #expect(try !inspects([get], "POST / GET "))
    }

    @Test func endsWith() throws {
        let php = try contentStep(".php", endsWith: true)
        #expect(try inspects([php], "/index.php"))
        #expect(try !inspects([php], "/index.php?x=1"))
        #expect(try inspects([php], "/a.php/b.php"))
        #expect(try !inspects([php], ".ph"))
        #expect(try inspects([contentStep("abc", startsWith: true, endsWith: true)], "abc"))
        #expect(try !inspects([contentStep("abc", startsWith: true, endsWith: true)], "abcabc"))
        #expect(try !inspects([contentStep("abc", depth: 3, endsWith: true)], "abcd"))
    }

    @Test func theFirstFailingAbsoluteContentEndsTheInspection() throws {
        #expect(try inspects([contentStep("a"), contentStep("b")], "ba"))
        #expect(try !inspects([contentStep("a"), contentStep("c")], "ba"))
    }
}

@Suite("Payload inspection: relative content")
struct PayloadRelativeContentTests {
    @Test func distanceIsWhereTheSearchStarts() throws {
        let steps = [try contentStep("a"), try contentStep("b", distance: 2)]
        #expect(try !inspects(steps, "ab"))
        #expect(try !inspects(steps, "axb"))
        #expect(try inspects(steps, "axxb"))
        #expect(try inspects(steps, "axxxxxxb"))
    }

    @Test func distanceZeroMeansAfterThePreviousMatch() throws {
        let steps = [try contentStep("a"), try contentStep("b", distance: 0)]
        #expect(try inspects(steps, "ab"))
        #expect(try !inspects(steps, "ba"))
    }

    @Test func withinBoundsTheEndOfTheMatch() throws {
        let steps = [try contentStep("a"), try contentStep("bc", within: 3)]
        #expect(try inspects(steps, "abc"))
        #expect(try inspects(steps, "axbc"))
        #expect(try !inspects(steps, "axxbc"))
    }

    @Test func withinCountsFromTheDistance() throws {
        // Suricata's DetectWithinTestPacket02: the window of "Ten" is [end of Five + 1, + 3).
        let steps = [try contentStep("Five"), try contentStep("Ten", distance: 1, within: 3)]
        #expect(try inspects(steps, "Zero Five Ten Fourteen"))
        // Counted from the previous match alone, the window would end at 4 + 3 = 7 and miss "Ten" at 6.
        let far = [try contentStep("Five"), try contentStep("Ten", distance: 2, within: 3)]
        #expect(try inspects(far, "FiveXXTen"))
        #expect(try !inspects(far, "FiveXXXTen"))
    }

    @Test func negativeDistance() throws {
        // "ab" overlapping the match of "bc".
        #expect(try inspects([contentStep("bc"), contentStep("ab", distance: -3)], "abc"))
        #expect(try inspects([contentStep("bc"), contentStep("ab", distance: -3, within: 2)], "abc"))
        #expect(try !inspects([contentStep("bc"), contentStep("ab", distance: -2)], "abc"))
        // A distance reaching before the buffer starts at 0.
        #expect(try inspects([contentStep("c"), contentStep("ab", distance: -100)], "abc"))
    }

    @Test func suricatasFirefoxExample() throws {
        let steps = [
            try contentStep("User-Agent|3A| Mozilla/5.0 |28|Windows|3B| "),
            try contentStep("Firefox/3.", distance: 0),
            try contentStep("Firefox/3.6.13", negated: true, distance: -10),
        ]
        #expect(try inspects(steps, "User-Agent: Mozilla/5.0 (Windows; U; en-US) Gecko Firefox/3.5.2\r\n"))
        #expect(try !inspects(steps, "User-Agent: Mozilla/5.0 (Windows; U; en-US) Gecko Firefox/3.6.13\r\n"))
        #expect(try !inspects(steps, "User-Agent: Mozilla/5.0 (X11; Linux) Firefox/3.5.2\r\n"))
    }
}

@Suite("Payload inspection: backtracking")
struct PayloadBacktrackingTests {
    @Test func aLaterOccurrenceOfThePreviousContentIsTried() throws {
        let steps = [try contentStep("a"), try contentStep("b", distance: 0, within: 1)]
        #expect(try inspects(steps, "a a ab"))
        #expect(try !inspects(steps, "a a a b"))
    }

    @Test func backtrackingThroughSeveralLevels() throws {
        let steps = [
            try contentStep("x"),
            try contentStep("y", distance: 0, within: 2),
            try contentStep("z", distance: 0, within: 1),
        ]
        #expect(try inspects(steps, "x-y x-yq xyz"))
        #expect(try inspects(steps, "xy xyq x-yz"))
        #expect(try !inspects(steps, "xy xyq x--yz"))
    }

    @Test func aRelativePcreMakesThePreviousContentRetry() throws {
        #expect(try inspects([contentStep("a"), pcreStep("\"/^b/R\"")], "a a ab"))
        #expect(try !inspects([contentStep("a"), pcreStep("\"/^b/R\"")], "a a a b"))
    }

    @Test func aRelativeByteTestMakesThePreviousContentRetry() throws {
        #expect(try inspects([contentStep("a"), byteTestStep("1,=,0x35,0,relative")], "a1a5"))
        #expect(try !inspects([contentStep("a"), byteTestStep("1,=,0x35,0,relative")], "a1a6"))
    }

    @Test func aPcreRetriesFromOneByteAfterItsLastMatchStart() throws {
        let steps = [try pcreStep("\"/a./\""), try contentStep("Z", distance: 0, within: 1)]
        #expect(try inspects(steps, "abacZ"))
        #expect(try !inspects(steps, "abacaZ"))
    }

    @Test func theRecursionLimitEndsAnExplosiveSearch() throws {
        // Depth-first search over three "a"s, each within 10 bytes of the previous one, then a "b" right
        // after. Each position of the first "a" that cannot reach the "b" costs 1 + 10 × (1 + 10) = 111
        // step evaluations (entering a step is one; retrying inside it is not), as Suricata counts them,
        // and Suricata gives up at the 3,000th.
        let steps = [
            try contentStep("a"),
            try contentStep("a", distance: 0, within: 10),
            try contentStep("a", distance: 0, within: 10),
            try contentStep("b", distance: 0, within: 1),
        ]
        #expect(try inspects(steps, "aaab"))
        #expect(try inspects(steps, String(repeating: "a", count: 47) + "b"))  // matches at the 2,998th evaluation
        #expect(try !inspects(steps, String(repeating: "a", count: 48) + "b"))  // would match at the 3,109th
        #expect(try !inspects(steps, String(repeating: "a", count: 5000)))  // an exhaustive failure ends early
    }

    @Test func aFoundNegatedContentMakesThePreviousContentRetry() throws {
        let steps = [try contentStep("a"), try contentStep("b", negated: true, distance: 0, within: 1)]
        // The first "a" is followed by "b": "a" is searched again, and the last one is not followed by "b".
        #expect(try inspects(steps, "ab a"))
        #expect(try !inspects(steps, "ab ab"))
    }
}

@Suite("Payload inspection: negation")
struct PayloadNegationTests {
    @Test func negatedContentHoldsWhenAbsentFromItsWindow() throws {
        #expect(try inspects([contentStep("evil", negated: true)], "good"))
        #expect(try !inspects([contentStep("evil", negated: true)], "so evil"))
        #expect(try inspects([contentStep("GET", negated: true, depth: 3)], "xGET"))
        #expect(try !inspects([contentStep("GET", negated: true, depth: 3)], "GETx"))
        #expect(try inspects([contentStep(".php", negated: true, endsWith: true)], "/a.php?x"))
        #expect(try !inspects([contentStep(".php", negated: true, endsWith: true)], "/a.php.php"))
    }

    @Test func negatedContentDoesNotMoveTheOffset() throws {
        let steps = [
            try contentStep("a"),
            try contentStep("b", negated: true, distance: 0, within: 1),
            try contentStep("c", distance: 0, within: 1),
        ]
        #expect(try inspects(steps, "ac"))
        #expect(try !inspects(steps, "abc"))
    }

    @Test func negatedPcre() throws {
        #expect(try !inspects([pcreStep("!\"/admin/i\"")], "GET /ADMIN"))
        #expect(try inspects([pcreStep("!\"/admin/i\"")], "GET /user"))
        let steps = [try contentStep("a"), try pcreStep("!\"/^x/R\""), try contentStep("b", distance: 0, within: 1)]
        #expect(try inspects(steps, "ab"))
        #expect(try !inspects(steps, "axb"))
    }

    @Test func onAnEmptyBuffer() throws {
        #expect(try !inspects([contentStep("a")], ""))
        #expect(try inspects([contentStep("a", negated: true)], ""))
        #expect(try !inspects([pcreStep("\"/a/\"")], ""))
        #expect(try inspects([pcreStep("!\"/a/\"")], ""))
    }
}

@Suite("Payload inspection: pcre")
struct PayloadPcreInspectionTests {
    @Test func unanchoredFromTheStart() throws {
        #expect(try inspects([contentStep("NICK "), pcreStep("\"/NICK .*USA.*[0-9]{3,}/i\"")], "NICK bob_usa_1234"))
        #expect(try !inspects([contentStep("NICK "), pcreStep("\"/NICK .*USA.*[0-9]{3,}/i\"")], "NICK bob_usa_12"))
        #expect(try inspects([contentStep("b"), pcreStep("\"/a/\"")], "ab"))
    }

    @Test func relativeStartsAtThePreviousMatchEnd() throws {
        #expect(try inspects([contentStep("x"), pcreStep("\"/^y/R\"")], "xy"))
        #expect(try !inspects([contentStep("x"), pcreStep("\"/^y/R\"")], "xzy"))
        #expect(try inspects([contentStep("x"), pcreStep("\"/y/R\"")], "xzy"))
        #expect(try !inspects([contentStep("b"), pcreStep("\"/a/R\"")], "ab"))
        #expect(try inspects([contentStep("x"), pcreStep("\"/z/AR\"")], "xz"))
        #expect(try !inspects([contentStep("x"), pcreStep("\"/z/AR\"")], "xaz"))
    }

    @Test func aMatchMovesTheOffsetToItsEnd() throws {
        let steps = [try pcreStep("\"/\\d+/\""), try contentStep("x", distance: 0, within: 1)]
        #expect(try inspects(steps, "ab123x"))
        #expect(try !inspects(steps, "ab123yx"))
    }

    @Test func contentWithinAfterAPcre() throws {
        // Suricata's DetectWithinTestPacket01.
        let steps = [try pcreStep("\"/AllWorkAndNoPlayMakesWillADullBoy/\""), try contentStep("HTTP", within: 5)]
        #expect(try inspects(steps, "GET /AllWorkAndNoPlayMakesWillADullBoy HTTP/1.0User-Agent: Wget/1.11.4"))
        #expect(try !inspects(steps, "GET /AllWorkAndNoPlayMakesWillADullBoy    HTTP/1.0"))
    }
}

@Suite("Payload inspection: isdataat and bsize")
struct PayloadDataAtTests {
    static let thirtyTwo = String(repeating: "x", count: 32)

    @Test(arguments: [("31", true), ("32", false), ("31,relative", true), ("32,relative", true), ("33,relative", false)])
    func suricatasThirtyTwoByteTable(check: String, expected: Bool) throws {
        #expect(try inspects([dataAtStep(check)], Self.thirtyTwo) == expected)
    }

    @Test(arguments: [
        ("7", true), ("8", false), ("7,relative", true), ("8,relative", true), ("9,relative", false),
        ("!8", true), ("!7", false), ("!9,relative", true),
    ])
    func suricatasAbcdefghTable(check: String, expected: Bool) throws {
        #expect(try inspects([dataAtStep(check)], "abcdefgh") == expected)
    }

    @Test(arguments: [("4,relative", true), ("5,relative", true), ("6,relative", false), ("!6,relative", true), ("!5,relative", false)])
    func relativeToAContent(check: String, expected: Bool) throws {
        #expect(try inspects([contentStep("c"), dataAtStep(check)], "abcdefgh") == expected)
    }

    @Test func notFollowedByDataMeansTheMatchEndsTheBuffer() throws {
        let steps = [try contentStep("a"), try dataAtStep("!1,relative")]
        #expect(try inspects(steps, "ab a"))
        #expect(try !inspects(steps, "ab ab"))
    }

    @Test func bsize() throws {
        #expect(try inspects([contentStep("google.com"), bsizeStep("10")], "google.com"))
        #expect(try !inspects([contentStep("google.com"), bsizeStep("10")], "google.com."))
        #expect(try inspects([contentStep("google.com"), bsizeStep("8<>20")], "www.google.com"))
        #expect(try !inspects([contentStep("google.com"), bsizeStep("<5")], "google.com"))
        #expect(try inspects([bsizeStep("0")], ""))
        #expect(try inspects([bsizeStep(">=3")], "abc"))
    }
}

@Suite("Payload inspection: byte_test")
struct PayloadByteTestInspectionTests {
    static let bytes: [UInt8] = [0x00, 0x01, 0x00, 0x02, 0xFF, 0xFF, 0x00, 0x03]

    @Test(arguments: [
        ("2,=,1,0", true),
        ("2,=,256,0,little", true),
        ("2,=,1,0,little", false),
        ("4,=,0x00010002,0", true),
        ("4,=,0x02000100,0,little", true),
        ("8,=,0x00010002ffff0003,0", true),
        ("1,!=,6,0", true),
        ("2,!=,1,0", false),
        ("2,<,2,0", true),
        ("2,>,255,1", true),
        ("2,>,256,1", false),
        ("2,<=,1,0", true),
        ("2,>=,2,0", false),
        ("1,&,0x01,1", true),
        ("1,&,0x02,1", false),
        ("1,!&,0x02,1", true),
        ("1,^,0x01,1", false),
        ("1,^,0x03,1", true),
        ("1,=,0xF,4,bitmask 0xf0", true),
        ("1,=,0x1,7,bitmask 0x02", true),
        ("2,=,0,6,bitmask 0xff00", true),
        ("2,=,3,7", false),
        ("1,=,3,7", true),
        ("2,!=,9,7", false),
        ("1,=,0,-1", false),
        ("1,!=,9,-1", false),
    ])
    func absolute(test: String, expected: Bool) throws {
        #expect(try inspects([byteTestStep(test)], Self.bytes) == expected, "\(test)")
    }

    @Test func relativeToTheContent() throws {
        let content = try contentStep("|00 01 00 02|")
        #expect(try inspects([content, byteTestStep("2,=,0x03,2,relative")], Self.bytes))
        #expect(try !inspects([content, byteTestStep("2,=,0x03,3,relative")], Self.bytes))
        #expect(try inspects([content, byteTestStep("2,=,0x0002,-2,relative")], Self.bytes))
        #expect(try !inspects([content, byteTestStep("1,=,0,-5,relative")], Self.bytes))
        // Nothing left after the match: no match, even negated.
        #expect(try !inspects([contentStep("|00 03|"), byteTestStep("1,!=,5,0,relative")], Self.bytes))
    }

    @Test func asciiNumbers() throws {
        #expect(try inspects([contentStep("foobar"), byteTestStep("4,=,1337,1,relative,string,dec")], "foobar 1337"))
        #expect(try !inspects([contentStep("foobar"), byteTestStep("4,=,1337,1,relative,string,dec")], "foobar 1338"))
        #expect(try inspects([byteTestStep("2,=,255,0,string,hex")], "ff"))
        #expect(try inspects([byteTestStep("4,=,255,0,string,hex")], "0xff"))
        #expect(try inspects([byteTestStep("2,=,15,0,string,oct")], "17"))
        #expect(try inspects([byteTestStep("4,=,12,0,string,dec")], "12ab"))
        #expect(try inspects([byteTestStep("4,=,12,0,string,dec")], " +12"))
        #expect(try !inspects([byteTestStep("2,=,0,0,string,dec")], "ab"))
        #expect(try !inspects([byteTestStep("2,!=,1,0,string,dec")], "ab"))
        #expect(try !inspects([byteTestStep("4,=,1337,0,string,dec")], "133"))
        #expect(try inspects([byteTestStep("23,=,0xffffffffffffffff,0,string,oct")], "01777777777777777777777"))
        #expect(try !inspects([byteTestStep("21,>,0,0,string,dec")], "999999999999999999999"))
    }

    @Test func readNumberFollowsStrtoull() {
        func read(_ text: String, _ base: Int) -> UInt64? {
            Array(text.utf8).withUnsafeBytes { ByteTest.readNumber($0, base: base) }
        }
        #expect(read("42", 10) == 42)
        #expect(read("\t 42x", 10) == 42)
        #expect(read("-1", 10) == UInt64.max)
        #expect(read("0x1F", 16) == 31)
        #expect(read("0xg", 16) == 0)
        #expect(read("8", 8) == nil)
        #expect(read("", 10) == nil)
        #expect(read("18446744073709551616", 10) == nil)
    }
}

@Suite("Payload inspection: program")
struct PayloadProgramTests {
    @Test func anEmptyProgramHolds() throws {
        #expect(try inspects([], "anything"))
    }

    @Test func aBadExpressionIsRefusedAtCompileTime() throws {
        let steps: [DetectionStep] = [.pcre(PcreMatch(expression: "(unclosed"))]
        let error = try #require(payloadError { () throws(RuleError) in try InspectionProgram(BufferInspection(buffer: .httpURI, steps: steps)) })
        #expect(error.message.hasPrefix("invalid pcre '(unclosed'"))
    }

    @Test func anEmptyContentIsRefusedAtCompileTime() throws {
        let steps: [DetectionStep] = [.content(ContentMatch(pattern: []))]
        #expect(payloadError { () throws(RuleError) in try InspectionProgram(BufferInspection(buffer: .payload, steps: steps)) } != nil)
    }

    @Test func oneProgramServesManyThreads() async throws {
        let program = try InspectionProgram(BufferInspection(buffer: .httpURI, steps: [
            try contentStep("/login"), try pcreStep("\"/^\\?user=[a-z]+$/R\""),
        ]))
        let results = await withTaskGroup(of: Bool.self) { group in
            for task in 0..<32 {
                group.addTask {
                    (0..<300).allSatisfy { round in
                        let good = (round + task) % 2 == 0
                        let uri = good ? "/login?user=bob" : "/login?user=b0b"
                        return Array(uri.utf8).withUnsafeBytes { program.matches($0) } == good
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 32))
    }
}
