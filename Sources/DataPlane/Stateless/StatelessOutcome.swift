/// A stateless standard action.
public enum StatelessAction: UInt8, Sendable, Hashable {
    /// `aws:pass`: the packet goes on, without stateful inspection.
    case pass
    /// `aws:drop`.
    case drop
    /// `aws:forward_to_sfe`: on to the stateful engine.
    case forwardToSFE

    /// The AWS action name.
    public var name: String {
        switch self {
        case .pass: "aws:pass"
        case .drop: "aws:drop"
        case .forwardToSFE: "aws:forward_to_sfe"
        }
    }

    init?(name: String) {
        switch name {
        case "aws:pass": self = .pass
        case "aws:drop": self = .drop
        case "aws:forward_to_sfe": self = .forwardToSFE
        default: return nil
        }
    }
}

/// What the stateless engine decided for one packet and why.
public struct StatelessOutcome: Sendable, Hashable {
    /// What decided.
    public enum Source: Sendable, Hashable {
        /// The rule at this index of ``StatelessEngine/rules``.
        case rule(Int)
        /// No rule matched: the policy's stateless default actions.
        case defaultActions
        /// No rule matched a fragmented UDP packet: the fragment default actions.
        case fragmentDefaultActions
        /// A non-first fragment of a protocol other than UDP (always dropped).
        case unsupportedFragment
    }

    public var action: StatelessAction
    /// Encoded source: a rule index ≥ 0, or one of the negative markers.
    let code: Int32

    static let defaultCode: Int32 = -1
    static let fragmentDefaultCode: Int32 = -2
    static let unsupportedFragmentCode: Int32 = -3

    init(action: StatelessAction, code: Int32) {
        self.action = action
        self.code = code
    }

    public var source: Source {
        switch code {
        case Self.defaultCode: .defaultActions
        case Self.fragmentDefaultCode: .fragmentDefaultActions
        case Self.unsupportedFragmentCode: .unsupportedFragment
        default: .rule(Int(code))
        }
    }
}

/// A stateless rule or action that cannot be compiled. The control plane validates the same data,
/// so this is a local fault; it becomes a `nack` with ``description``.
public struct StatelessRuleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of fault.
    public var code: String
    public var message: String
    /// The group, when the fault is in a rule.
    public var groupArn: String?
    /// The rule's priority, when the fault is in a rule.
    public var priority: Int?

    public init(code: String, message: String, groupArn: String? = nil, priority: Int? = nil) {
        self.code = code
        self.message = message
        self.groupArn = groupArn
        self.priority = priority
    }

    public var description: String {
        var text = "stateless \(code): \(message)"
        if let groupArn { text += " (group \(groupArn)" + (priority.map { ", rule priority \($0)" } ?? "") + ")" }
        return text
    }
}
