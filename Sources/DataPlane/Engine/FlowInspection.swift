public import Rules
import Shared

/// What the stateful side keeps per flow beyond its state machine: the stream reassembly of each TCP
/// direction, the application-layer parsers and the rule engine's flowbits. Created with the flow; dropped
/// with it.
public struct FlowInspection: Sendable {
    var toServer: StreamReassembler?
    var toClient: StreamReassembler?
    var appLayer: AppLayerState?
    /// The rule engine's memory (flowbits).
    public var rules = FlowRuleState()
    /// The last TLS handshake and HTTP transaction seen, for the `tls`/`http` members of alert events.
    var lastTLS: EveTLS?
    var lastHTTP: EveHTTP?
    var alerted = false

    public init() {}

    /// What protocol detection concluded so far.
    var appProtocol: AppProtocolState {
        guard let appLayer else { return .unknown }
        if let detected = appLayer.detected { return .detected(detected) }
        return appLayer.detectionFailed ? .failed : .unknown
    }

    /// Feeds one TCP segment of `direction` to its reassembler; returns the bytes that became contiguous.
    mutating func reassemble(
        sequence: UInt32, payload: UnsafeRawBufferPointer, flags: UInt8, direction: FlowDirection,
        configuration: StreamConfiguration
    ) -> [UInt8] {
        let syn = flags & TCPFlagBits.syn != 0
        let fin = flags & TCPFlagBits.fin != 0
        if direction == .toServer {
            if toServer == nil { toServer = StreamReassembler(configuration: configuration) }
            return toServer!.insert(sequence: sequence, payload: payload, syn: syn, fin: fin)
        }
        if toClient == nil { toClient = StreamReassembler(configuration: configuration) }
        return toClient!.insert(sequence: sequence, payload: payload, syn: syn, fin: fin)
    }

    /// Feeds in-order bytes (TCP) or one datagram (UDP) to the application-layer parsers. `reversed` tells
    /// that protocol detection found the flow runs the other way round (a midstream pickup from the server's
    /// side): the bytes were parsed as the other direction's, and the streams were swapped; the caller turns
    /// the flow around.
    mutating func parse(
        _ bytes: UnsafeRawBufferPointer, direction: FlowDirection, transport: UInt8, serverPort: UInt16,
        pickedUpMidstream: Bool = false
    ) -> (records: [AppLayerRecord], reversed: Bool) {
        if appLayer == nil {
            appLayer = AppLayerState(transport: transport, serverPort: serverPort, pickedUpMidstream: pickedUpMidstream)
        }
        let records = appLayer!.feed(bytes, direction: direction)
        let reversed = appLayer!.takeReversal()
        if reversed { swap(&toServer, &toClient) }
        return (records, reversed)
    }
}
