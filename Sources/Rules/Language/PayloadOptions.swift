/// Builds a rule's inspection lists from its payload keywords, as Suricata files them: `content`, `pcre`,
/// `isdataat`, `byte_test` and `bsize` go to the active sticky buffer (`http.uri;`, `tls.sni;`, …) or the
/// payload; content modifiers (`nocase`, `depth`, `distance`, …) change the last `content`; legacy
/// modifiers (`http_uri`, `http_header`, …) move the last `content` into their buffer.
struct PayloadOptions {
    private(set) var lists: [BufferInspection] = []
    /// The sticky buffer in force; nil for the payload.
    private var active: InspectionBuffer?
    /// Where the last `content` is: list and step.
    private var lastContent: (list: Int, step: Int)?
    /// Lists opened by `file.data`, resolved by the flow direction at the end.
    private var fileDataLists: Set<Int> = []
    /// Whether the rule has a `content` (any buffer).
    private(set) var hasContent = false
    /// Whether the rule has a `pcre` (any buffer).
    private(set) var hasPcre = false

    /// Handles `name` if it is a payload keyword; false otherwise.
    mutating func apply(_ name: String, column: Int, value: OptionValue?) throws(RuleError) -> Bool {
        if let buffer = RuleKeywords.stickyBuffers[name] {
            try noValue(name, value)
            select(buffer == .payload ? nil : buffer)
            return true
        }
        if name == "file.data" || name == "file_data" {
            try noValue(name, value)
            select(.httpResponseBody)
            if let index = lists.lastIndex(where: { $0.buffer == .httpResponseBody }) { fileDataLists.insert(index) }
            return true
        }
        if let buffer = RuleKeywords.contentModifiers[name] {
            try noValue(name, value)
            try move(to: buffer, keyword: name, column: column)
            return true
        }
        if let transform = BufferTransform(rawValue: name) {
            try noValue(name, value)
            guard let active, let index = lists.lastIndex(where: { $0.buffer == active }) else {
                throw RuleError(code: .invalidValue, message: "transform '\(name)' needs a sticky buffer before it", column: column)
            }
            lists[index].transforms.append(transform)
            return true
        }
        switch name {
        case "content", "uricontent":
            let value = try requiredValue(value, name, column)
            let parsed = try located(value) { () throws(RuleError) in try ContentMatch.parsePattern(String(String.UnicodeScalarView(value.text))) }
            var content = ContentMatch(pattern: parsed.pattern)
            content.negated = parsed.negated
            let list = name == "uricontent" ? listIndex(.httpURI) : activeList()
            lists[list].steps.append(.content(content))
            lastContent = (list, lists[list].steps.count - 1)
            hasContent = true
        case "nocase", "rawbytes", "startswith", "endswith", "fast_pattern":
            try modifyContent(name, column: column) { (content: inout ContentMatch) throws(RuleError) in
                switch name {
                case "nocase": content.nocase = true
                case "rawbytes": content.rawbytes = true
                case "startswith":
                    guard content.offset == nil, content.depth == nil, !content.isRelative else {
                        throw RuleError(code: .invalidValue, message: "'startswith' cannot be combined with depth, offset, distance or within", column: column)
                    }
                    content.startsWith = true
                case "endswith": content.endsWith = true
                default:
                    if let value { try PayloadOptions.checkFastPattern(value) }
                    content.fastPattern = true
                }
            }
            if name != "fast_pattern" { try noValue(name, value) }
        case "depth", "offset", "distance", "within":
            let value = try requiredValue(value, name, column)
            let text = String(String.UnicodeScalarView(value.text))
            let range: ClosedRange<Int> = switch name {
            case "distance": -65535...65535
            case "depth", "within": 1...65535
            default: 0...65535
            }
            guard let number = Int(text), range.contains(number) else {
                throw RuleError(
                    code: .invalidValue,
                    message: "invalid \(name) '\(text)' (expected an integer from \(range.lowerBound) to \(range.upperBound))",
                    column: value.column
                )
            }
            try modifyContent(name, column: column) { (content: inout ContentMatch) throws(RuleError) in
                try PayloadOptions.setBound(name, number, on: &content, column: value.column)
            }
        case "pcre":
            let value = try requiredValue(value, name, column)
            let parsed = try located(value) { () throws(RuleError) in try PcreMatch.parse(String(String.UnicodeScalarView(value.text))) }
            try located(value) { () throws(RuleError) in try Regex.validate(expression: parsed.0.expression, flags: parsed.0.flags) }
            let list: Int
            if let buffer = parsed.buffer { list = listIndex(buffer) } else { list = activeList() }
            lists[list].steps.append(.pcre(parsed.0))
            hasPcre = true
        case "isdataat":
            let value = try requiredValue(value, name, column)
            let check = try located(value) { () throws(RuleError) in try DataAtCheck.parse(String(String.UnicodeScalarView(value.text))) }
            lists[activeList()].steps.append(.dataAt(check))
        case "byte_test":
            let value = try requiredValue(value, name, column)
            let test = try located(value) { () throws(RuleError) in try ByteTest.parse(String(String.UnicodeScalarView(value.text))) }
            lists[activeList()].steps.append(.byteTest(test))
        case "bsize", "urilen":
            let value = try requiredValue(value, name, column)
            let condition = try located(value) { () throws(RuleError) in
                try NumericCondition.parse(String(String.UnicodeScalarView(value.text)))
            }
            if name == "urilen" {
                lists[listIndex(.httpURI)].steps.append(.bufferSize(condition))
            } else {
                guard active != nil else {
                    throw RuleError(code: .invalidValue, message: "'bsize' needs a sticky buffer before it", column: column)
                }
                lists[activeList()].steps.append(.bufferSize(condition))
            }
        case "prefilter":
            try noValue(name, value)
        default:
            return false
        }
        return true
    }

    /// The inspection lists once every option was read: `file.data` resolved by the flow direction, empty
    /// payload lists dropped, sticky buffers without a step refused.
    func finish(flow: FlowOptions?) throws(RuleError) -> [BufferInspection] {
        var result: [BufferInspection] = []
        for (index, list) in lists.enumerated() {
            var list = list
            if fileDataLists.contains(index), flow?.direction == .toServer { list.buffer = .httpRequestBody }
            if list.steps.isEmpty {
                if list.buffer == .payload { continue }
                throw RuleError(code: .invalidValue, message: "sticky buffer '\(list.buffer.rawValue)' is not followed by a content or other match")
            }
            if let existing = result.firstIndex(where: { $0.buffer == list.buffer && $0.transforms == list.transforms }) {
                result[existing].steps += list.steps
            } else {
                result.append(list)
            }
        }
        return result
    }

    // MARK: Lists

    private mutating func select(_ buffer: InspectionBuffer?) {
        active = buffer
        if let buffer { _ = listIndex(buffer) }
    }

    /// The list of `buffer`, created at the end when absent (a sticky buffer named again reuses its list).
    private mutating func listIndex(_ buffer: InspectionBuffer) -> Int {
        if let index = lists.lastIndex(where: { $0.buffer == buffer }) { return index }
        lists.append(BufferInspection(buffer: buffer))
        return lists.count - 1
    }

    private mutating func activeList() -> Int {
        listIndex(active ?? .payload)
    }

    /// A legacy modifier: the last content leaves its list for `buffer`'s.
    private mutating func move(to buffer: InspectionBuffer, keyword: String, column: Int) throws(RuleError) {
        guard let (list, step) = lastContent else {
            throw RuleError(code: .invalidValue, message: "'\(keyword)' needs a preceding 'content'", column: column)
        }
        let moved = lists[list].steps.remove(at: step)
        let target = listIndex(buffer)
        lists[target].steps.append(moved)
        lastContent = (target, lists[target].steps.count - 1)
    }

    private mutating func modifyContent(
        _ keyword: String, column: Int, _ change: (inout ContentMatch) throws(RuleError) -> Void
    ) throws(RuleError) {
        guard let (list, step) = lastContent, case .content(var content) = lists[list].steps[step] else {
            throw RuleError(code: .invalidValue, message: "'\(keyword)' needs a preceding 'content'", column: column)
        }
        try change(&content)
        lists[list].steps[step] = .content(content)
    }

    // MARK: Values

    private static func setBound(_ name: String, _ number: Int, on content: inout ContentMatch, column: Int) throws(RuleError) {
        let absolute = name == "depth" || name == "offset"
        if absolute ? content.isRelative : (content.depth != nil || content.offset != nil) {
            throw RuleError(
                code: .invalidValue,
                message: "'\(name)' cannot be combined with \(absolute ? "distance or within" : "depth or offset") on the same content",
                column: column
            )
        }
        if content.startsWith {
            throw RuleError(code: .invalidValue, message: "'\(name)' cannot be combined with 'startswith'", column: column)
        }
        switch name {
        case "depth":
            guard number >= content.pattern.count else {
                throw RuleError(
                    code: .invalidValue, message: "depth \(number) is smaller than the content's length \(content.pattern.count)", column: column
                )
            }
            content.depth = number
        case "offset":
            content.offset = number
        case "distance":
            content.distance = number
        default:
            guard number >= content.pattern.count else {
                throw RuleError(
                    code: .invalidValue, message: "within \(number) is smaller than the content's length \(content.pattern.count)", column: column
                )
            }
            content.within = number
        }
    }

    /// `fast_pattern`, `fast_pattern:only` or `fast_pattern:offset,length`.
    private static func checkFastPattern(_ value: OptionValue) throws(RuleError) {
        let text = String(String.UnicodeScalarView(value.text))
        if text == "only" { return }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ Int($0.trimmingCharacters) != nil }) else {
            throw RuleError(code: .invalidValue, message: "invalid fast_pattern '\(text)' (use 'only' or 'offset,length')", column: value.column)
        }
    }

    private func noValue(_ name: String, _ value: OptionValue?) throws(RuleError) {
        if let value, !value.text.isEmpty {
            throw RuleError(code: .invalidValue, message: "option '\(name)' takes no value", column: value.column)
        }
    }

    /// Runs a value parser and places its error at the value's column.
    private func located<T>(_ value: OptionValue, _ parse: () throws(RuleError) -> T) throws(RuleError) -> T {
        do {
            return try parse()
        } catch {
            var error = error
            if error.column == 0 { error.column = value.column }
            throw error
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces.
    var trimmingCharacters: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
