@testable import Rules
import Testing

/// The error `body` throws, or nil (and a failed expectation) when it does not throw.
func payloadError<T>(_ body: () throws(RuleError) -> T, sourceLocation: SourceLocation = #_sourceLocation) -> RuleError? {
    do {
        let value = try body()
        Issue.record("expected an error, got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

@Suite("Payload: content values")
struct PayloadContentValueTests {
    @Test(arguments: [
        ("\"abc\"", Array("abc".utf8), false),
        ("\"abc|0d 0a|def\"", Array("abc\r\ndef".utf8), false),
        ("\"|0d0a|\"", [0x0D, 0x0A], false),
        ("\"|61 0D 62 63|\"", Array("a\rbc".utf8), false),
        ("\"a|0D|b|63|\"", Array("a\rbc".utf8), false),
        ("\"|  41   42|\"", Array("AB".utf8), false),
        ("!\"x\"", Array("x".utf8), true),
        ("! \"x\"", Array("x".utf8), true),
        ("  \"x\"  ", Array("x".utf8), false),
        ("\"a\\\"b\\;c\\\\d\\:e\"", Array("a\"b;c\\d:e".utf8), false),
        ("\"http|3A|//\"", Array("http://".utf8), false),
        ("\"|00 ff|\"", [0x00, 0xFF], false),
        ("\"é\"", [0xC3, 0xA9], false),
    ])
    func parses(text: String, pattern: [UInt8], negated: Bool) throws {
        let parsed = try ContentMatch.parsePattern(text)
        #expect(parsed.pattern == pattern)
        #expect(parsed.negated == negated)
    }

    @Test(arguments: [
        ("\"\"", "empty"),
        ("!\"\"", "empty"),
        ("\"||\"", "empty"),
        ("\"|0d 0|\"", "odd number of hex digits"),
        ("\"|0d0|\"", "odd number of hex digits"),
        ("\"|zz|\"", "'z' is not a hex digit"),
        ("\"|0d 0a\"", "unterminated '|'"),
        ("\"a\\x\"", "invalid escape '\\x'"),
        ("\"abc\\\"", "lone backslash"),
        ("abc", "double quotes"),
        ("\"abc", "double quotes"),
        ("\"a\"b\"", "unescaped '\"'"),
    ])
    func refuses(text: String, problem: String) throws {
        let error = try #require(payloadError { () throws(RuleError) in try ContentMatch.parsePattern(text) })
        #expect(error.code == .invalidValue)
        #expect(error.column == 0)
        #expect(error.message.contains(problem), "\(error.message)")
    }
}

@Suite("Payload: pcre values")
struct PayloadPcreValueTests {
    @Test func expressionFlagsAndRelative() throws {
        let (match, buffer) = try PcreMatch.parse("\"/foo\\d+/Ri\"")
        #expect(match == PcreMatch(expression: "foo\\d+", flags: ["i"], negated: false, relative: true))
        #expect(buffer == nil)
    }

    @Test func negationAndBuffer() throws {
        let (match, buffer) = try PcreMatch.parse("!\"/x/U\"")
        #expect(match.negated)
        #expect(match.expression == "x")
        #expect(match.flags.isEmpty)
        #expect(buffer == .httpURI)
    }

    @Test func quotesAreOptional() throws {
        let (match, buffer) = try PcreMatch.parse("/(oneself)+/U")
        #expect(match.expression == "(oneself)+" && buffer == .httpURI && !match.negated)
        #expect(try PcreMatch.parse("!/one/i").0 == PcreMatch(expression: "one", flags: ["i"], negated: true, relative: false))
    }

    @Test func theLastSlashEndsTheExpression() throws {
        let (match, _) = try PcreMatch.parse("\"/a\\/b/c/smi\"")
        #expect(match.expression == "a\\/b/c")
        #expect(match.flags == ["s", "m", "i"])
    }

    @Test func allCompileFlagsAndIgnoredModifiers() throws {
        let (match, buffer) = try PcreMatch.parse("\"/x/ismxAEGBO\"")
        #expect(match.flags == ["i", "s", "m", "x", "A", "E", "G"])
        #expect(!match.relative)
        #expect(buffer == nil)
    }

    @Test(arguments: [
        ("U", InspectionBuffer.httpURI), ("I", .httpRawURI), ("H", .httpHeader), ("D", .httpRawHeader),
        ("M", .httpMethod), ("C", .httpCookie), ("P", .httpRequestBody), ("Q", .httpResponseBody),
        ("S", .httpStatusCode), ("Y", .httpStatusMessage), ("V", .httpUserAgent), ("W", .httpHost), ("Z", .httpRawHost),
    ])
    func bufferModifiers(modifier: String, buffer: InspectionBuffer) throws {
        let parsed = try PcreMatch.parse("\"/x/\(modifier)R\"")
        #expect(parsed.buffer == buffer)
        #expect(parsed.0.relative)
    }

    @Test func captureListIsIgnored() throws {
        let (match, _) = try PcreMatch.parse("\"/([a-z]+)\\/(.+)/GUR, flow:ua/repo,flow:ua/pkg\"")
        #expect(match.expression == "([a-z]+)\\/(.+)")
        #expect(match.flags == ["G"])
        #expect(match.relative)
    }

    @Test func emptyExpressionIsAllowed() throws {
        #expect(try PcreMatch.parse("\"//\"").0.expression == "")
    }

    @Test(arguments: [
        ("\"/x/k\"", "unknown pcre modifier 'k'"),
        ("\"/x/7\"", "unknown pcre modifier '7'"),
        ("\"/blah/Ui$\"", "unknown pcre modifier '$'"),
        ("\"/x/UH\"", "two buffers"),
        ("\"/x/i", "closing double quote"),
        ("x", "/expression/modifiers"),
        ("\"x\"", "/expression/modifiers"),
        ("\"/x\"", "/expression/modifiers"),
        ("\"\"", "/expression/modifiers"),
    ])
    func refuses(text: String, problem: String) throws {
        let error = try #require(payloadError { () throws(RuleError) in try PcreMatch.parse(text) })
        #expect(error.code == .invalidValue)
        #expect(error.column == 0)
        #expect(error.message.contains(problem), "\(error.message)")
    }

    @Test func validateNamesTheExpressionThePcreErrorAndTheOffset() throws {
        let error = try #require(payloadError { () throws(RuleError) in try Regex.validate(expression: "a(b", flags: []) })
        #expect(error.code == .invalidValue)
        #expect(error.message.hasPrefix("invalid pcre 'a(b': "))
        #expect(error.message.contains("missing closing parenthesis"), "\(error.message)")
        #expect(error.message.hasSuffix("at offset 3"), "\(error.message)")
    }

    @Test func validateAcceptsBackReferences() throws {
        try Regex.validate(expression: "(a)\\1", flags: [])
        try Regex.validate(expression: "(?<n>a)\\k<n>", flags: ["i"])
    }
}

@Suite("Payload: byte_test values")
struct PayloadByteTestValueTests {
    @Test func requiredFields() throws {
        #expect(try ByteTest.parse("4, =, 1 , 0") == ByteTest(count: 4, op: .equal, value: 1, offset: 0))
    }

    @Test func notEqualAndLoneNegation() throws {
        #expect(try ByteTest.parse("4, !=, 1, 0, relative") == ByteTest(count: 4, op: .equal, negated: true, value: 1, offset: 0, relative: true))
        #expect(try ByteTest.parse("4, !, 5, 0") == ByteTest(count: 4, op: .equal, negated: true, value: 5, offset: 0))
    }

    @Test func whitespaceEverywhere() throws {
        #expect(try ByteTest.parse("\t4 , ! &, 5\t, 0 , little ") == ByteTest(count: 4, op: .and, negated: true, value: 5, offset: 0, littleEndian: true))
    }

    @Test func stringBasesAndFlagsInAnyOrder() throws {
        #expect(
            try ByteTest.parse("4,!^,5,0,little,string,relative,hex")
                == ByteTest(count: 4, op: .or, negated: true, value: 5, offset: 0, relative: true, littleEndian: true, stringBase: .hexadecimal)
        )
        #expect(try ByteTest.parse("4, =, 1, 0, string, oct").stringBase == .octal)
        #expect(try ByteTest.parse("4, =, 1, 0, string, dec").stringBase == .decimal)
        #expect(try ByteTest.parse("4, =, 1, 0, string").stringBase == .decimal)
    }

    @Test func numbersInEveryBase() throws {
        #expect(try ByteTest.parse("2, >, 0x10, -2, relative") == ByteTest(count: 2, op: .greater, value: 16, offset: -2, relative: true))
        #expect(try ByteTest.parse("2, <=, 010, 0x4").value == 8)
        #expect(try ByteTest.parse("2, <=, 010, 0x4").offset == 4)
        #expect(try ByteTest.parse("2, >=, 18446744073709551615, 0").value == UInt64.max)
        #expect(try ByteTest.parse("23,=,0xffffffffffffffff,0,string,oct").count == 23)
    }

    @Test func bitmaskAndEndianness() throws {
        let test = try ByteTest.parse("2, =, 1, 0, big, bitmask 0x1ff")
        #expect(test.bitmask == 0x1FF)
        #expect(!test.littleEndian)
        #expect(try ByteTest.parse("2, =, 1, 0, little, big").littleEndian == false)
        #expect(try ByteTest.parse("2, =, 1, 0, dce").littleEndian == false)
    }

    @Test(arguments: [
        ("4, =, 1", "at least count, operator, value and offset"),
        ("x, =, 1, 0", "byte count 'x'"),
        ("0, =, 1, 0", "byte count '0'"),
        ("9, =, 1, 0", "more than 8 bytes without 'string'"),
        ("24, =, 1, 0, string, dec", "more than 23 bytes"),
        ("4, =, 1, 0, hex", "needs 'string'"),
        ("4, ~, 1, 0", "invalid byte_test operator '~'"),
        ("4, =, abc, 0", "variable name"),
        ("4, =, 1, off", "variable name"),
        ("4, =, 1x, 0", "invalid byte_test value '1x'"),
        ("4, =, -1, 0", "invalid byte_test value '-1'"),
        ("4, =, 1, 0, foo", "unknown byte_test option 'foo'"),
        ("4, =, 1, 0, relative,", "empty byte_test option"),
        ("4, =, 1, 0, bitmask", "unknown byte_test option 'bitmask'"),
        ("4, =, 1, 0, bitmask 0x1ffffffff", "invalid byte_test bitmask"),
        ("4, =, 1, 0, dce, string", "'dce' cannot be combined"),
        ("4, =, 1, 0, little, dce", "'dce' cannot be combined"),
    ])
    func refuses(text: String, problem: String) throws {
        let error = try #require(payloadError { () throws(RuleError) in try ByteTest.parse(text) })
        #expect(error.code == .invalidValue)
        #expect(error.column == 0)
        #expect(error.message.contains(problem), "\(error.message)")
    }
}

@Suite("Payload: isdataat values")
struct PayloadDataAtValueTests {
    @Test(arguments: [
        ("512", DataAtCheck(position: 512)),
        ("50, relative", DataAtCheck(position: 50, relative: true)),
        ("!1,relative", DataAtCheck(position: 1, relative: true, negated: true)),
        ("! 1 , relative , rawbytes", DataAtCheck(position: 1, relative: true, negated: true)),
        ("5,rawbytes", DataAtCheck(position: 5)),
        ("0", DataAtCheck(position: 0)),
        ("65535", DataAtCheck(position: 65535)),
    ])
    func parses(text: String, check: DataAtCheck) throws {
        #expect(try DataAtCheck.parse(text) == check)
    }

    @Test(arguments: [
        ("abc", "byte_extract"),
        ("", "invalid isdataat position ''"),
        ("-1", "invalid isdataat position '-1'"),
        ("65536", "(0-65535)"),
        ("5,foo", "unknown isdataat option 'foo'"),
        ("5,", "unknown isdataat option ''"),
    ])
    func refuses(text: String, problem: String) throws {
        let error = try #require(payloadError { () throws(RuleError) in try DataAtCheck.parse(text) })
        #expect(error.code == .invalidValue)
        #expect(error.message.contains(problem), "\(error.message)")
    }
}

@Suite("Payload: integer conditions")
struct PayloadNumericConditionTests {
    @Test(arguments: [
        ("10", NumericCondition(.equal, 10)),
        ("=10", NumericCondition(.equal, 10)),
        ("=0x13", NumericCondition(.equal, 19)),
        ("!9", NumericCondition(.notEqual, 9)),
        ("!0x14", NumericCondition(.notEqual, 20)),
        ("!=20", NumericCondition(.notEqual, 20)),
        ("<25", NumericCondition(.less, 25)),
        ("<=20", NumericCondition(.lessOrEqual, 20)),
        (">8", NumericCondition(.greater, 8)),
        (">=8", NumericCondition(.greaterOrEqual, 8)),
        ("8<>20", NumericCondition(.range, 8, upper: 20)),
        ("19-22", NumericCondition(.range, 19, upper: 22)),
        (" < 5 ", NumericCondition(.less, 5)),
        ("8 <> 20", NumericCondition(.range, 8, upper: 20)),
        ("1 - 4", NumericCondition(.range, 1, upper: 4)),
        ("18446744073709551615", NumericCondition(.equal, UInt64.max)),
    ])
    func parses(text: String, condition: NumericCondition) throws {
        #expect(try NumericCondition.parse(text) == condition)
    }

    @Test func rangesAreExclusive() throws {
        let range = try NumericCondition.parse("1-4")
        #expect([0, 1, 2, 3, 4, 5].filter { range.matches($0) } == [2, 3])
    }

    @Test(arguments: [
        ("", "is not a number"),
        ("abc", "'abc' is not a number"),
        ("<", "is not a number"),
        ("<>5", "is not a number"),
        ("-5", "is not a number"),
        ("20<>8", "lower bound below its upper bound"),
        ("5-5", "lower bound below its upper bound"),
        ("!1-4", "is not a number"),
        ("18446744073709551616", "is not a number"),
    ])
    func refuses(text: String, problem: String) throws {
        let error = try #require(payloadError { () throws(RuleError) in try NumericCondition.parse(text) })
        #expect(error.code == .invalidValue)
        #expect(error.message.contains(problem), "\(error.message)")
    }
}
