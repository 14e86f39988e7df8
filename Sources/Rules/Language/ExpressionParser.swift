import Shared

/// An address or port expression that the shared list/negation/variable grammar can build.
protocol ParsableExpression: CustomStringConvertible, Sendable {
    /// `address` or `port`, for messages.
    static var kindName: String { get }
    static func makeList(_ items: [Self]) -> Self
    static func makeNegated(_ inner: Self) -> Self
    /// One entry that is neither a list, a negation nor a variable: `any`, a CIDR, a port or a port range.
    static func parseAtom(_ text: String, column: Int) throws(RuleError) -> Self
    /// Whether the expression matches nothing (a user mistake such as `!any`).
    var matchesNothing: Bool { get }
}

extension AddressExpression: ParsableExpression {
    static var kindName: String { "address" }
    static func makeList(_ items: [AddressExpression]) -> AddressExpression { .list(items) }
    static func makeNegated(_ inner: AddressExpression) -> AddressExpression { .negated(inner) }

    static func parseAtom(_ text: String, column: Int) throws(RuleError) -> AddressExpression {
        if text.lowercased() == "any" { return .any }
        guard let cidr = CIDR(text) else {
            throw RuleError(code: .invalidValue, message: "invalid address '\(text)'", column: column)
        }
        return .network(cidr)
    }

    var matchesNothing: Bool { addressSet.isEmpty }
}

extension PortExpression: ParsableExpression {
    static var kindName: String { "port" }
    static func makeList(_ items: [PortExpression]) -> PortExpression { .list(items) }
    static func makeNegated(_ inner: PortExpression) -> PortExpression { .negated(inner) }

    static func parseAtom(_ text: String, column: Int) throws(RuleError) -> PortExpression {
        if text.lowercased() == "any" { return .any }
        func port(_ part: Substring, default value: UInt16) throws(RuleError) -> UInt16 {
            if part.isEmpty { return value }
            guard part.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else {
                throw RuleError(code: .invalidValue, message: "invalid port '\(text)'", column: column)
            }
            guard part.count <= 5, let number = Int(part), number <= 65535 else {
                throw RuleError(code: .invalidValue, message: "port '\(part)' is out of range 0-65535", column: column)
            }
            return UInt16(number)
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard !parts[0].isEmpty else {
                throw RuleError(code: .invalidValue, message: "invalid port '\(text)'", column: column)
            }
            let value = try port(parts[0], default: 0)
            return .range(value...value)
        case 2:
            guard !(parts[0].isEmpty && parts[1].isEmpty) else {
                throw RuleError(code: .invalidValue, message: "invalid port range '\(text)'", column: column)
            }
            let low = try port(parts[0], default: 0)
            let high = try port(parts[1], default: 65535)
            guard low <= high else {
                throw RuleError(code: .invalidValue, message: "invalid port range '\(text)': \(low) is greater than \(high)", column: column)
            }
            return .range(low...high)
        default:
            throw RuleError(code: .invalidValue, message: "invalid port range '\(text)'", column: column)
        }
    }

    var matchesNothing: Bool { portSet.isEmpty }
}

/// Recursive descent over Suricata's address/port grammar: `any`, atoms, `[a,b,…]` (spaces allowed inside
/// brackets), `!x`, `$VAR`, and `@REF` (refused). Positions are indexes into `text`; columns are index + 1.
struct ExpressionParser<Expression: ParsableExpression> {
    let text: [Unicode.Scalar]
    private(set) var position: Int
    let end: Int
    /// How many characters the expanded variables add to the text (their expansion minus `$NAME`).
    private(set) var expansionGrowth = 0

    init(text: [Unicode.Scalar], range: Range<Int>) {
        self.text = text
        position = range.lowerBound
        end = range.upperBound
    }

    /// Parses the whole range as one expression; `variable` resolves `$NAME` (name without `$`, column of `$`).
    mutating func parse(variable: (String, Int) throws(RuleError) -> Expression) throws(RuleError) -> Expression {
        let start = position
        let expression = try parseItem(variable: variable)
        skipSpaces()
        if position < end {
            throw RuleError(code: .syntax, message: "unexpected '\(text[position])' in \(Expression.kindName) '\(String(text[start..<end]))'", column: position + 1)
        }
        if expression.matchesNothing {
            throw RuleError(code: .invalidValue, message: "\(Expression.kindName) '\(String(text[start..<end]))' matches nothing", column: start + 1)
        }
        return expression
    }

    private mutating func parseItem(variable: (String, Int) throws(RuleError) -> Expression) throws(RuleError) -> Expression {
        guard position < end else {
            throw RuleError(code: .syntax, message: "expected \(Expression.kindName)", column: position + 1)
        }
        switch text[position] {
        case "!":
            position += 1
            return Expression.makeNegated(try parseItem(variable: variable))
        case "[":
            return try parseList(variable: variable)
        case "$":
            let dollar = position
            position += 1
            let nameStart = position
            while position < end, text[position].isVariableNameCharacter { position += 1 }
            let name = String(text[nameStart..<position])
            guard !name.isEmpty else {
                throw RuleError(code: .syntax, message: "expected a variable name after '$'", column: dollar + 1)
            }
            let expansion = try variable(name, dollar + 1)
            expansionGrowth += expansion.description.unicodeScalars.count - (name.unicodeScalars.count + 1)
            return expansion
        case "@":
            let at = position
            position += 1
            while position < end, text[position].isVariableNameCharacter { position += 1 }
            let name = String(text[at..<position])
            throw RuleError(code: .unsupportedReference, message: "IP set reference '\(name)' is not supported", column: at + 1)
        case "]", ",":
            throw RuleError(code: .syntax, message: "expected \(Expression.kindName), found '\(text[position])'", column: position + 1)
        default:
            let start = position
            while position < end, !text[position].endsAtom { position += 1 }
            return try Expression.parseAtom(String(text[start..<position]), column: start + 1)
        }
    }

    private mutating func parseList(variable: (String, Int) throws(RuleError) -> Expression) throws(RuleError) -> Expression {
        let open = position
        position += 1
        skipSpaces()
        if position < end, text[position] == "]" {
            throw RuleError(code: .syntax, message: "empty \(Expression.kindName) list '[]'", column: open + 1)
        }
        var items: [Expression] = []
        while true {
            items.append(try parseItem(variable: variable))
            skipSpaces()
            guard position < end else {
                throw RuleError(code: .syntax, message: "missing ']' for the \(Expression.kindName) list opened here", column: open + 1)
            }
            switch text[position] {
            case ",":
                position += 1
                skipSpaces()
            case "]":
                position += 1
                return Expression.makeList(items)
            default:
                throw RuleError(code: .syntax, message: "expected ',' or ']' in \(Expression.kindName) list, found '\(text[position])'", column: position + 1)
            }
        }
    }

    private mutating func skipSpaces() {
        while position < end, text[position].isRuleSpace { position += 1 }
    }
}

extension Unicode.Scalar {
    /// Space or tab.
    var isRuleSpace: Bool { self == " " || self == "\t" }

    /// `[A-Za-z0-9_]`.
    var isVariableNameCharacter: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self) || self == "_"
    }

    /// Characters that end an address or port atom.
    var endsAtom: Bool {
        self == "," || self == "]" || self == "[" || isRuleSpace
    }
}

extension String {
    /// The text of a run of scalars; ASCII (nearly every rule token) is copied byte for byte.
    init(_ scalars: ArraySlice<Unicode.Scalar>) {
        if scalars.allSatisfy(\.isASCII) {
            self = String(unsafeUninitializedCapacity: scalars.count) { buffer in
                var offset = 0
                for scalar in scalars {
                    buffer[offset] = UInt8(truncatingIfNeeded: scalar.value)
                    offset += 1
                }
                return offset
            }
        } else {
            var view = String.UnicodeScalarView()
            for scalar in scalars { view.append(scalar) }
            self = String(view)
        }
    }
}
