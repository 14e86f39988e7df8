import CPCRE2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A compiled `pcre` expression (PCRE2, 8-bit code units, no UTF: rule expressions match bytes).
///
/// Compiled as Suricata compiles it: first with `PCRE2_NO_AUTO_CAPTURE` (plain groups do not capture,
/// which is faster), again without it when the expression refers back to a numbered group; JIT-compiled
/// when the library supports it, silently interpreted otherwise; matched under Suricata's default limits
/// (`pcre.match-limit` 3500, `pcre.match-limit-recursion` 1500), so a pathological expression fails
/// instead of stalling a worker.
///
/// Thread safety: the compiled code and the match context are read-only after `init` and shared by
/// every thread. The only mutable state of a match, PCRE2's match data, is kept one block per thread
/// (a pthread key), created on a thread's first match and reused by every `Regex` on that thread: no
/// lock and no allocation per match.
final class Regex: Sendable {
    /// Suricata's `SC_MATCH_LIMIT_DEFAULT`.
    static let matchLimit: UInt32 = 3500
    /// Suricata's `SC_MATCH_LIMIT_RECURSION_DEFAULT` (PCRE2's depth limit).
    static let depthLimit: UInt32 = 1500

    /// The result of one search.
    enum Outcome: Equatable {
        /// A match at `start..<end` of the subject.
        case match(start: Int, end: Int)
        /// The expression does not occur.
        case noMatch
        /// The search was abandoned (match limit reached, bad offset): Suricata reads it as no match,
        /// even for a negated `pcre`.
        case failed
    }

    /// The expression as written between the slashes.
    let expression: String
    private nonisolated(unsafe) let code: OpaquePointer
    private nonisolated(unsafe) let context: OpaquePointer?

    /// Compiles `expression` with Suricata's pcre modifiers `i s m x A E G` in `flags` (other characters
    /// are ignored here; `PcreMatch.parse` refuses unknown ones).
    init(expression: String, flags: Set<Character>) throws(RuleError) {
        self.expression = expression
        let options = Self.options(for: flags)
        var code = Self.compile(expression, options: options | UInt32(PCRE2_NO_AUTO_CAPTURE))
        if case .failure(let error) = code, error.code == 115 {  // reference to non-existent subpattern
            code = Self.compile(expression, options: options)
        }
        switch code {
        case .success(let compiled):
            self.code = compiled
        case .failure(let error):
            throw RuleError(
                code: .invalidValue,
                message: "invalid pcre '\(expression)': \(Self.errorText(error.code)) at offset \(error.offset)"
            )
        }
        _ = pcre2_jit_compile_8(self.code, UInt32(PCRE2_JIT_COMPLETE))  // falls back to the interpreter on failure
        let context = pcre2_match_context_create_8(nil)
        if let context {
            pcre2_set_match_limit_8(context, Self.matchLimit)
            pcre2_set_depth_limit_8(context, Self.depthLimit)
        }
        self.context = context
    }

    deinit {
        if let context { pcre2_match_context_free_8(context) }
        pcre2_code_free_8(code)
    }

    /// Compiles the expression and throws the error `init` would; for the rules parser.
    static func validate(expression: String, flags: Set<Character>) throws(RuleError) {
        _ = try Regex(expression: expression, flags: flags)
    }

    /// The first match in `subject` at or after `start`, as offsets into `subject`; nil when there is
    /// none or the search was abandoned.
    func firstMatch(in subject: UnsafeRawBufferPointer, from start: Int) -> (start: Int, end: Int)? {
        if case .match(let start, let end) = search(subject, from: start) { return (start, end) }
        return nil
    }

    /// The first match in `subject` at or after `start`, telling a failed search from an absent match.
    func search(_ subject: UnsafeRawBufferPointer, from start: Int) -> Outcome {
        guard start >= 0, start <= subject.count else { return .failed }
        guard let matchData = Self.threadMatchData() else { return .failed }
        let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? Self.emptySubject
        let result = pcre2_match_8(code, base, subject.count, start, 0, matchData, context)
        if result == PCRE2_ERROR_NOMATCH { return .noMatch }
        // 0 means the ovector (one pair) is too small for the captures; the whole match is still set.
        guard result >= 0, let ovector = pcre2_get_ovector_pointer_8(matchData) else { return .failed }
        return .match(start: ovector[0], end: ovector[1])
    }

    // MARK: - Compilation

    private struct CompileError: Error {
        var code: Int32
        var offset: Int
    }

    private static func compile(_ expression: String, options: UInt32) -> Result<OpaquePointer, CompileError> {
        var errorCode: Int32 = 0
        var errorOffset = 0
        let bytes = Array(expression.utf8)
        let compiled = bytes.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(buffer.baseAddress ?? emptySubject, buffer.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else { return .failure(CompileError(code: errorCode, offset: errorOffset)) }
        return .success(compiled)
    }

    private static func options(for flags: Set<Character>) -> UInt32 {
        var options: UInt32 = 0
        for flag in flags {
            switch flag {
            case "i": options |= UInt32(PCRE2_CASELESS)
            case "s": options |= UInt32(PCRE2_DOTALL)
            case "m": options |= UInt32(PCRE2_MULTILINE)
            case "x": options |= UInt32(PCRE2_EXTENDED)
            case "A": options |= UInt32(PCRE2_ANCHORED)
            case "E": options |= UInt32(PCRE2_DOLLAR_ENDONLY)
            case "G": options |= UInt32(PCRE2_UNGREEDY)
            default: break
            }
        }
        return options
    }

    private static func errorText(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = buffer.withUnsafeMutableBufferPointer { pcre2_get_error_message_8(code, $0.baseAddress, $0.count) }
        guard length > 0 else { return "error \(code)" }
        return String(decoding: buffer[0..<Int(length)], as: UTF8.self)
    }

    // MARK: - Per-thread match data

    /// A valid address for an empty subject (PCRE2 before 10.43 refuses a null subject).
    private nonisolated(unsafe) static let emptySubject: UnsafePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()

    /// The key of each thread's match data block, freed when the thread exits.
    private static let matchDataKey: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { block in
            #if canImport(Glibc)
            if let block { pcre2_match_data_free_8(OpaquePointer(block)) }
            #else
            pcre2_match_data_free_8(OpaquePointer(block))
            #endif
        }
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()

    /// This thread's match data: one offset pair, enough for the overall match of any expression.
    private static func threadMatchData() -> OpaquePointer? {
        if let block = pthread_getspecific(matchDataKey) { return OpaquePointer(block) }
        guard let block = pcre2_match_data_create_8(1, nil) else { return nil }
        pthread_setspecific(matchDataKey, UnsafeRawPointer(block))
        return block
    }
}
