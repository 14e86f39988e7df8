import Rules

extension FlowDirection {
    /// The other direction.
    var reversed: FlowDirection { self == .toServer ? .toClient : .toServer }
}

extension FlowDirectionKind {
    /// The flow table's name for the rule engine's `direction`.
    init(_ direction: FlowDirection) {
        self = direction == .toServer ? .toServer : .toClient
    }
}
