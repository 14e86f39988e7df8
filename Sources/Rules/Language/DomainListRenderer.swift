public import Shared

/// Renders an AWS domain list (`RulesSourceList`) as the Suricata rules AWS Network Firewall generates
/// for it, so a domain-list group goes through `RulesParser` and reaches a worker as plain rules text
/// like any other stateful group.
///
/// The rules follow the listings in AWS's developer guide ("Examples of stateful rules for Network
/// Firewall", section "Stateful rules examples: domain list rules"):
///
/// - Every rule is `$HOME_NET any -> $EXTERNAL_NET any` with `flow:to_server, established`: a domain list
///   only looks at traffic leaving HOME_NET, whose value comes from the group's or the policy's variables
///   when the text is parsed.
/// - `TLS_SNI` gives `tls` rules on `ssl_state:client_hello; tls.sni` with `nocase`; `HTTP_HOST` gives `http`
///   rules on `http.host` (a buffer Suricata lower-cases, so the pattern is written in lower case and AWS
///   adds no `nocase`).
/// - A target with a leading dot (`.example.com`) matches the domain and every subdomain:
///   `dotprefix; content:".example.com"; endswith;`. Any other target matches the whole name only:
///   `content:"abc.example.com"; startswith; endswith;`.
/// - Rules come target by target, one per target type in the order of `TargetTypes`; an `ALLOWLIST` then
///   ends with one default drop per target type for the rest of that protocol's traffic from HOME_NET
///   (for HTTP only once the request headers are parsed, so the host is known:
///   `http.header_names; content:"|0d 0a|"; startswith;`). `DENYLIST` drops, `REJECTLIST` rejects (a TCP
///   reset) and `ALERTLIST` alerts on the listed names and add nothing else.
/// - Sids are 1…N in that order, each with `rev:1`.
///
/// Rule order: under `DEFAULT_ACTION_ORDER` every rule carries `priority:1`, as AWS writes them; under
/// `STRICT_ORDER` the `priority` keyword is refused (reference §11.2), so it is left out and the written
/// order does the work — the pass rules of an allow list come before its default drops.
public enum DomainListRenderer {
    /// The longest domain name, in characters, without its leading dot (RFC 1035's 253).
    public static let maximumNameLength = 253
    /// The longest label (the text between two dots) of a domain name.
    public static let maximumLabelLength = 63

    /// The list's rules, one Suricata rule per element, in order; the list is validated first.
    public static func render(_ list: RulesSourceList, ruleOrder: RuleOrder) throws(DomainListError) -> [String] {
        try validate(list)
        let verb = verb(of: list.GeneratedRulesType)
        let priority = ruleOrder == .DEFAULT_ACTION_ORDER ? " priority:1;" : ""
        var rules: [String] = []
        func append(_ action: String, _ proto: String, _ options: String) {
            let sid = rules.count + 1
            rules.append("\(action) \(proto) $HOME_NET any -> $EXTERNAL_NET any (\(options) sid:\(sid); rev:1;)")
        }
        for target in list.Targets {
            let name = target.lowercased()
            let match = name.hasPrefix(".") ? "dotprefix; content:\"\(name)\";" : "content:\"\(name)\"; startswith;"
            for type in list.TargetTypes {
                switch type {
                case .TLS_SNI:
                    append(verb.action, "tls", "ssl_state:client_hello; tls.sni; \(match) nocase; endswith; msg:\"matching TLS \(verb.listed) FQDNs\";\(priority) flow:to_server, established;")
                case .HTTP_HOST:
                    append(verb.action, "http", "http.host; \(match) endswith; msg:\"matching HTTP \(verb.listed) FQDNs\";\(priority) flow:to_server, established;")
                }
            }
        }
        if list.GeneratedRulesType == .ALLOWLIST {
            for type in list.TargetTypes {
                switch type {
                case .TLS_SNI:
                    append("drop", "tls", "msg:\"not matching any TLS allowlisted FQDNs\";\(priority) ssl_state:client_hello; flow:to_server, established;")
                case .HTTP_HOST:
                    append("drop", "http", "http.header_names; content:\"|0d 0a|\"; startswith; msg:\"not matching any HTTP allowlisted FQDNs\";\(priority) flow:to_server, established;")
                }
            }
        }
        return rules
    }

    /// Checks every target and the target types: at least one type, none twice; each target a domain name.
    public static func validate(_ list: RulesSourceList) throws(DomainListError) {
        if list.TargetTypes.isEmpty {
            throw DomainListError(code: .invalidTargetTypes, field: "TargetTypes", message: "must name at least one of TLS_SNI, HTTP_HOST")
        }
        for (index, type) in list.TargetTypes.enumerated() where list.TargetTypes[..<index].contains(type) {
            throw DomainListError(
                code: .invalidTargetTypes, field: "TargetTypes[\(index)]", message: "names \(type.rawValue) twice", value: type.rawValue
            )
        }
        for (index, target) in list.Targets.enumerated() {
            if let problem = problem(with: target) {
                throw DomainListError(code: .invalidTarget, field: "Targets[\(index)]", message: "is not a valid domain: \(problem)", value: target)
            }
        }
    }

    /// Why `target` is not a domain specification (`abc.example.com`, or `.example.com` for the domain and its
    /// subdomains), or nil when it is one.
    public static func problem(with target: String) -> String? {
        var name = Substring(target)
        if name.hasPrefix(".") { name = name.dropFirst() }
        if name.isEmpty { return "it is empty" }
        if name.contains("://") { return "write the domain name alone, without a scheme such as https://" }
        if name.contains("*") { return "'*' is not allowed; a leading '.' (.example.com) matches the domain and all its subdomains" }
        if name.hasPrefix(".") { return "only one leading '.' is allowed" }
        if name.count > maximumNameLength { return "longer than \(maximumNameLength) characters" }
        if let bad = name.unicodeScalars.first(where: { !$0.isDomainNameCharacter }) {
            let shown = bad.properties.isWhitespace || bad.value < 0x20 || bad.value == 0x7F
                ? "U+" + String(bad.value, radix: 16, uppercase: true) : "'\(bad)'"
            return "\(shown) is not allowed (letters, digits, '-' and '.' only)"
        }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            if label.isEmpty { return "it has an empty label ('..' or a trailing '.')" }
            if label.count > maximumLabelLength { return "the label '\(label)' is longer than \(maximumLabelLength) characters" }
        }
        return nil
    }

    /// The action of the rules for listed names and the word AWS puts in their `msg`.
    private static func verb(of type: GeneratedRulesType) -> (action: String, listed: String) {
        switch type {
        case .ALLOWLIST: ("pass", "allowlisted")
        case .DENYLIST: ("drop", "denylisted")
        case .REJECTLIST: ("reject", "rejectlisted")
        case .ALERTLIST: ("alert", "alertlisted")
        }
    }
}

/// A domain list Rampart cannot render: a target that is not a domain name or bad target types, with the
/// field (`Targets[3]`, relative to the `RulesSourceList`) and the value, so a user can find the entry.
public struct DomainListError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// A target is not a domain name (`*`, spaces, a scheme, an empty label, too long, …).
        public static let invalidTarget = Code(rawValue: "invalidTarget")
        /// `TargetTypes` is empty or names a type twice.
        public static let invalidTargetTypes = Code(rawValue: "invalidTargetTypes")

        public var description: String { rawValue }
    }

    /// What kind of mistake this is.
    public var code: Code
    /// The field inside the `RulesSourceList`: `Targets[3]`, `TargetTypes`, `TargetTypes[1]`.
    public var field: String
    /// Human text, to follow the field's name.
    public var message: String
    /// The offending value as given.
    public var value: String?

    public init(code: Code, field: String, message: String, value: String? = nil) {
        self.code = code
        self.field = field
        self.message = message
        self.value = value
    }

    /// `Targets[3] is not a valid domain: '*' is not allowed; …`.
    public var description: String { "\(field) \(message)" }
}

extension Unicode.Scalar {
    /// ASCII letters, digits, `-` and `.`.
    fileprivate var isDomainNameCharacter: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self) || self == "-" || self == "."
    }
}
