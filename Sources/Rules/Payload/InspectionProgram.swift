/// One buffer's inspection list compiled for matching: content searchers built and expressions compiled
/// once, when the rule set is compiled; `matches` allocates nothing and takes no lock.
///
/// Matching follows Suricata's `DetectEngineContentInspection` step for step, because a rule must match
/// the same traffic in Rampart as in Suricata:
/// - Steps run in order; each starts from the end of the previous successful `content` or `pcre` match
///   (the detection offset, 0 at first).
/// - `content` searches a window: absolute, `[offset, offset + depth)` (`startswith`: `[0, length)`);
///   relative, from `previous end + distance` (clamped at 0) to `previous end + distance + within`.
///   `endswith` requires the match to end the buffer. A match moves the detection offset to its end.
/// - Backtracking: when the steps after a `content` fail, the content is searched again from one byte
///   after its last start and the following steps re-run — but, as in Suricata, only when a later step
///   depends on it in a way that a later occurrence could satisfy (a following `content` with `within`,
///   or a relative `pcre`, `isdataat` or `byte_test` right after it). A `pcre` likewise retries from
///   one byte after its last match start when a relative step follows it.
/// - A negated `content` or `pcre` holds when its pattern is absent, never moves the offset and is never
///   retried. A failing independent step (absolute content, `isdataat`, `bsize`) ends the inspection at
///   once, as Suricata's "no match, discontinue" does.
/// - The number of step evaluations is bounded by Suricata's `inspection_recursion_limit` (3000): past
///   it, the buffer does not match.
///
/// Transforms (`BufferTransform`) are not applied here: `matches` inspects the bytes it is given.
public struct InspectionProgram: Sendable {
    /// Suricata's default `detect.inspection-recursion-limit`.
    static let recursionLimit = 3000

    private let steps: [Step]

    /// Compiles `inspection`'s steps; throws when a `pcre` does not compile or a `content` is empty.
    public init(_ inspection: BufferInspection) throws(RuleError) {
        let source = inspection.steps
        var steps: [Step] = []
        steps.reserveCapacity(source.count)
        for (index, step) in source.enumerated() {
            let after = Self.dependents(of: index, in: source)
            switch step {
            case .content(let content):
                guard !content.pattern.isEmpty else {
                    throw RuleError(code: .invalidValue, message: "empty content pattern in \(inspection.buffer.rawValue)")
                }
                let bounded = content.isRelative || content.offset != nil || content.depth != nil || content.startsWith
                steps.append(.content(CompiledContent(
                    match: content,
                    searcher: ContentSearcher(pattern: content.pattern, nocase: content.nocase),
                    retries: after.within || after.relative,
                    independent: !(bounded || after.within || after.distance || after.relative)
                )))
            case .pcre(let pcre):
                steps.append(.pcre(CompiledPcre(
                    match: pcre,
                    regex: try Regex(expression: pcre.expression, flags: pcre.flags),
                    retries: after.within || after.distance || after.relative
                )))
            case .dataAt(let check):
                steps.append(.dataAt(check))
            case .byteTest(let test):
                steps.append(.byteTest(test))
            case .bufferSize(let condition):
                steps.append(.bufferSize(condition))
            }
        }
        self.steps = steps
    }

    /// Whether every step holds on `buffer` (an empty program holds on any buffer).
    public func matches(_ buffer: UnsafeRawBufferPointer) -> Bool {
        guard !steps.isEmpty else { return true }
        var calls = 0
        return inspect(0, previousEnd: 0, buffer, &calls) == .match
    }

    // MARK: - Compiled steps

    private enum Step: Sendable {
        case content(CompiledContent)
        case pcre(CompiledPcre)
        case dataAt(DataAtCheck)
        case byteTest(ByteTest)
        case bufferSize(NumericCondition)
    }

    private struct CompiledContent: Sendable {
        let match: ContentMatch
        let searcher: ContentSearcher
        /// Search again after the following steps fail (Suricata's `DETECT_CONTENT_WITHIN_NEXT`).
        let retries: Bool
        /// Neither bounded nor followed by a relative step: when negated and found, nothing can change
        /// the outcome (Suricata's `DETECT_CONTENT_IS_SINGLE`).
        let independent: Bool
    }

    private struct CompiledPcre: Sendable {
        let match: PcreMatch
        let regex: Regex
        /// Search again after the following steps fail (Suricata's `DETECT_PCRE_RELATIVE_NEXT`).
        let retries: Bool
    }

    /// How the steps after the `content` or `pcre` at `index` depend on it, as Suricata flags it when the
    /// rule is loaded: every step up to the next `content` or `pcre` that is relative to its match.
    private static func dependents(of index: Int, in steps: [DetectionStep]) -> (within: Bool, distance: Bool, relative: Bool) {
        var result = (within: false, distance: false, relative: false)
        switch steps[index] {
        case .content, .pcre: break
        default: return result
        }
        for step in steps[(index + 1)...] {
            switch step {
            case .content(let next):
                result.within = next.within != nil
                result.distance = next.distance != nil
                return result
            case .pcre(let next):
                result.relative = result.relative || next.relative
                return result
            case .dataAt(let check):
                result.relative = result.relative || check.relative
            case .byteTest(let test):
                result.relative = result.relative || test.relative
            case .bufferSize:
                break
            }
        }
        return result
    }

    // MARK: - Inspection

    /// Suricata's three results: match, no match (an earlier step may retry), no match and give up.
    private enum Outcome {
        case match
        case noMatch
        case discontinue
    }

    private func inspect(_ index: Int, previousEnd: Int, _ buffer: UnsafeRawBufferPointer, _ calls: inout Int) -> Outcome {
        calls += 1
        if calls >= Self.recursionLimit { return .discontinue }
        switch steps[index] {
        case .content(let content):
            return inspect(content, index, previousEnd: previousEnd, buffer, &calls)
        case .pcre(let pcre):
            return inspect(pcre, index, previousEnd: previousEnd, buffer, &calls)
        case .dataAt(let check):
            if check.holds(length: buffer.count, previousEnd: previousEnd) {
                return next(index, previousEnd: previousEnd, buffer, &calls)
            }
            // A later match could only move the offset forward, which cannot help.
            return check.negated && check.relative ? .noMatch : .discontinue
        case .byteTest(let test):
            if test.matches(buffer, previousEnd: previousEnd) {
                return next(index, previousEnd: previousEnd, buffer, &calls)
            }
            return .noMatch
        case .bufferSize(let condition):
            if condition.matches(UInt64(buffer.count)) {
                return next(index, previousEnd: previousEnd, buffer, &calls)
            }
            return .discontinue
        }
    }

    /// The steps after `index`, from `previousEnd`; a match when `index` was the last.
    private func next(_ index: Int, previousEnd: Int, _ buffer: UnsafeRawBufferPointer, _ calls: inout Int) -> Outcome {
        index + 1 == steps.count ? .match : inspect(index + 1, previousEnd: previousEnd, buffer, &calls)
    }

    private func inspect(
        _ content: CompiledContent, _ index: Int, previousEnd: Int, _ buffer: UnsafeRawBufferPointer, _ calls: inout Int
    ) -> Outcome {
        let match = content.match
        let length = buffer.count
        let patternLength = content.searcher.count
        var start: Int
        var end: Int
        if match.isRelative {
            let distance = match.distance ?? 0
            start = previousEnd
            if match.distance != nil { start = distance < 0 && -distance > previousEnd ? 0 : previousEnd + distance }
            end = length
            if let within = match.within { end = min(end, max(previousEnd + distance + within, 0)) }
            // Suricata refuses depth/offset with distance/within; read them as its engine would.
            if let depth = match.depth { end = min(end, previousEnd + depth) }
            if let offset = match.offset { start = max(start, offset) }
        } else if match.startsWith {
            start = 0
            end = patternLength
        } else {
            start = match.offset ?? 0
            end = match.depth.map { start + $0 } ?? length
        }
        end = min(end, length)
        var retryFrom = 0
        while true {
            let from = retryFrom != 0 ? retryFrom : start
            if from > end || end == 0 {
                return match.negated ? next(index, previousEnd: previousEnd, buffer, &calls) : .noMatch
            }
            let found: Int?
            if patternLength > end - from {
                found = nil
            } else if match.endsWith {
                // Only an occurrence that ends the buffer counts.
                let suffix = length - patternLength
                found = end == length && content.searcher.occurs(in: buffer, at: suffix) ? suffix : nil
            } else {
                found = content.searcher.find(in: buffer, from: from, to: end)
            }
            guard let found else {
                if match.negated { return next(index, previousEnd: previousEnd, buffer, &calls) }
                return match.isRelative ? .noMatch : .discontinue
            }
            if match.negated { return content.independent ? .discontinue : .noMatch }
            let outcome = next(index, previousEnd: found + patternLength, buffer, &calls)
            if outcome != .noMatch { return outcome }
            if !content.retries { return .discontinue }
            retryFrom = found + 1
        }
    }

    private func inspect(
        _ pcre: CompiledPcre, _ index: Int, previousEnd: Int, _ buffer: UnsafeRawBufferPointer, _ calls: inout Int
    ) -> Outcome {
        let subjectStart = pcre.match.relative ? previousEnd : 0
        let subject = UnsafeRawBufferPointer(rebasing: buffer[subjectStart...])
        var from = 0
        while true {
            let end: Int
            let retryFrom: Int?
            switch pcre.regex.search(subject, from: from) {
            case .failed:
                return .noMatch
            case .noMatch:
                guard pcre.match.negated else { return .noMatch }
                end = previousEnd
                retryFrom = nil
            case .match(let start, let matchEnd):
                guard !pcre.match.negated else { return .noMatch }
                end = subjectStart + matchEnd
                retryFrom = start + 1
            }
            if !pcre.retries { return next(index, previousEnd: end, buffer, &calls) }
            let outcome = next(index, previousEnd: end, buffer, &calls)
            if outcome != .noMatch { return outcome }
            guard let retryFrom else { return .noMatch }
            from = retryFrom
        }
    }
}
