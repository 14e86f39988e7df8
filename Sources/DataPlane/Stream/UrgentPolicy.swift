/// What the stream engine does with TCP urgent data (Suricata's `stream.reassembly.urgent.policy`).
public enum UrgentPolicy: String, Sendable, Hashable, CaseIterable {
    /// Urgent data stays in the stream like any other byte (the default).
    case inline
    /// The byte the urgent pointer marks is out of band, as a receiver without `SO_OOBINLINE` reads it: it is
    /// taken out of the stream (1 byte, RFC 6093 section 3.1: the one just before the pointer). A pointer
    /// beyond the segment marks nothing in it.
    case outOfBand = "oob"
}
