public import Shared

/// The `$VARIABLES` a rule group's rules may use, resolved to address and port expressions.
///
/// `HOME_NET` and `EXTERNAL_NET` always exist. `HOME_NET` defaults to the private ranges
/// (`VariableScope.defaultHomeNet`) — the stand-in for AWS's "CIDR of the inspection VPC" — unless the
/// policy's `PolicyVariables.RuleVariables["HOME_NET"]` overrides it; a group's own `HOME_NET` wins over
/// both for that group. `EXTERNAL_NET` is the policy-level `!HOME_NET` unless the group defines it: as in
/// AWS (reference §11.2), a group that sets only `HOME_NET` still gets the policy's `EXTERNAL_NET`. Port
/// variables come from the group's `PortSets`. A definition may use the whole address (or port) syntax,
/// including other variables; cycles and undefined names are errors.
public struct VariableScope: Sendable, Hashable {
    /// IP set variables by name (without `$`), each a `.list` of its definition's entries.
    public private(set) var addresses: [String: AddressExpression]
    /// Port set variables by name (without `$`), each a `.list` of its definition's entries.
    public private(set) var ports: [String: PortExpression]

    /// `HOME_NET` when neither the group nor the policy defines it.
    public static let defaultHomeNet = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"]

    /// The scope with no group and no policy variables: only the default `HOME_NET` and `EXTERNAL_NET`.
    public static let defaults: VariableScope = {
        do {
            return try make(group: nil, policy: nil)
        } catch {
            preconditionFailure("default variables must resolve: \(error)")
        }
    }()

    /// Resolves a group's variables together with the policy's `HOME_NET`.
    public static func make(group: RuleVariables?, policy: PolicyVariables?) throws(RuleError) -> VariableScope {
        var policyResolver = VariableResolver<AddressExpression>(
            definitions: ["HOME_NET": policy?.RuleVariables?["HOME_NET"]?.Definition ?? defaultHomeNet],
            fallbacks: [:], origin: "policy variable"
        )
        guard let policyHome = try policyResolver.resolve("HOME_NET") else {
            preconditionFailure("HOME_NET is always defined")
        }

        var addressResolver = VariableResolver<AddressExpression>(
            definitions: group?.IPSets?.mapValues(\.Definition) ?? [:],
            fallbacks: ["HOME_NET": policyHome, "EXTERNAL_NET": .negated(policyHome)],
            origin: "variable"
        )
        var addresses: [String: AddressExpression] = [:]
        for name in Set(addressResolver.definitions.keys).union(addressResolver.fallbacks.keys).sorted() {
            addresses[name] = try addressResolver.resolve(name)
        }

        var portResolver = VariableResolver<PortExpression>(
            definitions: group?.PortSets?.mapValues { $0.Definition ?? [] } ?? [:], fallbacks: [:], origin: "port variable"
        )
        var ports: [String: PortExpression] = [:]
        for name in portResolver.definitions.keys.sorted() {
            ports[name] = try portResolver.resolve(name)
        }
        return VariableScope(addresses: addresses, ports: ports)
    }

    private init(addresses: [String: AddressExpression], ports: [String: PortExpression]) {
        self.addresses = addresses
        self.ports = ports
    }

    /// The expansion of `$name` in an address field, or an `undefinedVariable` error at `column`.
    func address(_ name: String, column: Int) throws(RuleError) -> AddressExpression {
        if let expression = addresses[name] { return expression }
        let hint = ports[name] != nil ? " ('\(name)' is a port variable)" : ""
        throw RuleError(code: .undefinedVariable, message: "undefined variable '$\(name)'\(hint)", column: column)
    }

    /// The expansion of `$name` in a port field, or an `undefinedVariable` error at `column`.
    func port(_ name: String, column: Int) throws(RuleError) -> PortExpression {
        if let expression = ports[name] { return expression }
        let hint = addresses[name] != nil ? " ('\(name)' is an IP set variable)" : ""
        throw RuleError(code: .undefinedVariable, message: "undefined variable '$\(name)'\(hint)", column: column)
    }
}

/// Resolves variable definitions depth first, remembering results and the chain being resolved so that
/// a cycle is reported with its path.
struct VariableResolver<Expression: ParsableExpression> {
    let definitions: [String: [String]]
    let fallbacks: [String: Expression]
    /// `variable` or `port variable`, for messages.
    let origin: String
    private var resolved: [String: Expression] = [:]
    private var chain: [String] = []

    init(definitions: [String: [String]], fallbacks: [String: Expression], origin: String) {
        self.definitions = definitions
        self.fallbacks = fallbacks
        self.origin = origin
    }

    /// The expansion of `name`, nil when it is neither defined nor a fallback.
    mutating func resolve(_ name: String) throws(RuleError) -> Expression? {
        if let done = resolved[name] { return done }
        guard let definition = definitions[name] else { return fallbacks[name] }
        if let start = chain.firstIndex(of: name) {
            let path = (chain[start...] + [name]).map { "$" + $0 }.joined(separator: " -> ")
            throw RuleError(code: .invalidValue, message: "\(origin)s refer to each other in a cycle: \(path)")
        }
        guard VariableResolver.isValidName(name) else {
            throw RuleError(code: .invalidValue, message: "invalid \(origin) name '\(name)' (letters, digits and '_', starting with a letter)")
        }
        guard !definition.isEmpty else {
            throw RuleError(code: .invalidValue, message: "\(origin) '\(name)' has an empty definition")
        }
        chain.append(name)
        defer { chain.removeLast() }
        var items: [Expression] = []
        for entry in definition {
            let text = Array(entry.unicodeScalars)
            var start = 0
            var end = text.count
            while start < end, text[start].isRuleSpace { start += 1 }
            while end > start, text[end - 1].isRuleSpace { end -= 1 }
            var parser = ExpressionParser<Expression>(text: text, range: start..<end)
            // Errors of referenced definitions arrive already named after their own variable.
            var failedInReference = false
            do throws(RuleError) {
                items.append(try parser.parse { reference, column throws(RuleError) in
                    let expansion: Expression?
                    do throws(RuleError) {
                        expansion = try resolve(reference)
                    } catch {
                        failedInReference = true
                        throw error
                    }
                    guard let expansion else {
                        throw RuleError(code: .undefinedVariable, message: "undefined variable '$\(reference)'", column: column)
                    }
                    return expansion
                })
            } catch {
                var error = error
                if !failedInReference {
                    error.message = "\(origin) '\(name)', entry '\(entry)': \(error.message)"
                    error.column = 0
                }
                throw error
            }
        }
        let expression = Expression.makeList(items)
        resolved[name] = expression
        return expression
    }

    /// `^[A-Za-z][A-Za-z0-9_]*$`, as AWS's RuleVariableName.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy(\.isVariableNameCharacter)
    }
}
