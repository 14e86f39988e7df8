public import Rules
public import Shared

extension EveAlert {
    /// The `alert` object of a rule match: `blocked` when a drop or reject rule matched and the verdict takes
    /// effect (inline), `allowed` otherwise.
    public init(_ match: AlertMatch, enforced: Bool) {
        self.init(
            action: match.blocked && enforced ? "blocked" : "allowed", gid: match.gid, signature_id: match.sid, rev: match.rev,
            signature: match.message, category: Classification.category(for: match.classtype), severity: match.severity
        )
    }
}
