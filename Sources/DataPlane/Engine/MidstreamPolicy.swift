/// What becomes of a TCP flow picked up without its handshake while midstream pickups are off: Suricata's
/// `stream.midstream-policy`, one of its exception policies. Its `auto` is `dropFlow` in IPS mode and `ignore`
/// otherwise.
public enum MidstreamPolicy: String, Sendable, Hashable, CaseIterable {
    /// The flow's packets are inspected one by one, without stream reassembly or application layer.
    case ignore
    /// Enforced, the packet is dropped (drop reason `stream midstream`) and so is every later packet of the
    /// flow (`exception policy flow drop`), without inspection.
    case dropFlow = "drop-flow"
}
