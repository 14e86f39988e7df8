/// What one packet hands the rule engine from its flow's stream and application layer, and what it gave
/// the application layer to log.
struct InspectionStep {
    /// Records the packet completed, of either direction, in order: their EVE objects are written now.
    var records: [AppLayerRecord] = []
    /// Transaction parts to inspect with this packet: those of its direction its flow completed since the
    /// last packet of that direction.
    var transactions: [AppLayerRecord] = []
    /// Stream bytes of the packet's direction to inspect with it, when they are not its payload itself.
    var chunk: [UInt8] = []
    /// The packet's payload is exactly its direction's next stream bytes (inline, in order).
    var payloadIsStream = false
    /// The packet's payload was taken into its direction's stream.
    var payloadInStream = false
    /// Protocol detection found that the flow runs the other way round (a midstream pickup from the
    /// server's side): the streams were swapped and the packet travels the other direction; the caller turns
    /// the flow around.
    var reversed = false
}
