/// An error in a rule, a rules string or a variable definition, with what a user needs to fix it:
/// the line and column of the offending token, the rule's sid when it could be read, and the rule text.
///
/// Its `code` is extensible (swift-certificates' `CertificateError` habit): callers match on the codes
/// they care about and show `description` for the rest.
public struct RuleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of mistake the rule contains.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// The code's name, e.g. `unknownKeyword`.
        public var rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The text does not follow the rule grammar (unbalanced brackets, a bad direction, a missing `(`…).
        public static let syntax = Code(rawValue: "syntax")
        /// An option keyword that Rampart does not know.
        public static let unknownKeyword = Code(rawValue: "unknownKeyword")
        /// An option keyword that AWS Network Firewall refuses (thresholding, datasets, file keywords, …).
        public static let unsupportedKeyword = Code(rawValue: "unsupportedKeyword")
        /// A `$VARIABLE` that the rule group does not define.
        public static let undefinedVariable = Code(rawValue: "undefinedVariable")
        /// An `@REFERENCE` to an IP set; Rampart does not resolve IP set references yet.
        public static let unsupportedReference = Code(rawValue: "unsupportedReference")
        /// A value out of range or malformed (an address, a port, a sid, a flow option, …).
        public static let invalidValue = Code(rawValue: "invalidValue")
        /// The rule has no `sid`.
        public static let missingSid = Code(rawValue: "missingSid")
        /// The rule's `sid` is already used by an earlier rule of the same rules string.
        public static let duplicateSid = Code(rawValue: "duplicateSid")
        /// The rule is longer than 8,192 characters once its variables are expanded.
        public static let ruleTooLong = Code(rawValue: "ruleTooLong")
        /// An action other than pass, drop, reject and alert.
        public static let unsupportedAction = Code(rawValue: "unsupportedAction")
        /// A protocol other than ip, tcp, udp, icmp, tls, http and dns.
        public static let unsupportedProtocol = Code(rawValue: "unsupportedProtocol")

        public var description: String { rawValue }
    }

    /// What kind of mistake this is.
    public var code: Code
    /// Human text that names the keyword or value that is wrong.
    public var message: String
    /// 1-based line in the rules string; 0 when the error is not in a rules string (a variable definition).
    public var line: Int
    /// 1-based column of the offending token in its line; 0 when unknown.
    public var column: Int
    /// The sid of the rule, if it could be read.
    public var sid: Int?
    /// The text of the rule (the raw line), or of the variable definition entry.
    public var rule: String?

    public init(code: Code, message: String, line: Int = 0, column: Int = 0, sid: Int? = nil, rule: String? = nil) {
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        self.sid = sid
        self.rule = rule
    }

    /// `line 3, column 42 (sid 1001): unknown keyword 'foo'`; without a line, `(sid 1001): …` or the message alone.
    public var description: String {
        var location = ""
        if line > 0 {
            location = "line \(line), column \(column)"
        }
        if let sid {
            location += location.isEmpty ? "sid \(sid)" : " (sid \(sid))"
        }
        return location.isEmpty ? message : "\(location): \(message)"
    }
}
