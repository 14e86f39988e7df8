import Rules
import Shared

/// The DNS state of one flow: over UDP each datagram is a message; over TCP messages carry a 2-byte
/// length prefix (RFC 1035 section 4.2.2) and are reassembled across segments. Every message is a
/// transaction of its own (ids 0, 1, 2, … in arrival order): a query fills `dns.query` with each
/// question's name and logs one EVE `query` record per question; a response logs one `answer` record.
struct DNSSession {
    let overTCP: Bool
    private var pendingToServer: [UInt8] = []
    private var pendingToClient: [UInt8] = []
    private var closedToServer = false
    private var closedToClient = false
    private var nextID = 0

    init(overTCP: Bool) {
        self.overTCP = overTCP
    }

    func isClosed(_ direction: FlowDirection) -> Bool {
        direction == .toServer ? closedToServer : closedToClient
    }

    mutating func feed(_ input: ArraySlice<UInt8>, direction: FlowDirection) -> [AppLayerRecord] {
        guard !isClosed(direction) else { return [] }
        guard overTCP else {
            guard let message = DNSMessage(Array(input), strict: false) else { return [] }
            return [record(message, direction: direction)]
        }
        var pending = direction == .toServer ? pendingToServer : pendingToClient
        if direction == .toServer { pendingToServer = [] } else { pendingToClient = [] }
        pending.append(contentsOf: input)
        var records: [AppLayerRecord] = []
        var start = 0
        while pending.count - start >= 2 {
            let length = Int(pending[start]) << 8 | Int(pending[start + 1])
            guard pending.count - start - 2 >= length else { break }
            let bytes = Array(pending[(start + 2)..<(start + 2 + length)])
            start += 2 + length
            guard let message = DNSMessage(bytes, strict: false) else {
                close(direction)
                return records
            }
            records.append(record(message, direction: direction))
        }
        pending.removeFirst(start)
        if pending.count > AppLayerLimits.bufferedBytesPerDirection + 2 {
            close(direction)
            return records
        }
        if direction == .toServer { pendingToServer = pending } else { pendingToClient = pending }
        return records
    }

    private mutating func close(_ direction: FlowDirection) {
        if direction == .toServer {
            closedToServer = true
            pendingToServer = []
        } else {
            closedToClient = true
            pendingToClient = []
        }
    }

    private mutating func record(_ message: DNSMessage, direction: FlowDirection) -> AppLayerRecord {
        let id = nextID
        nextID += 1
        var transaction = AppTransaction(appProtocol: .dns, direction: direction, id: id)
        var eve: [AppLayerEve] = []
        if message.isResponse {
            let flags = message.flags
            let first = message.questions.first
            eve.append(.dns(EveDNS(
                version: 2, type: "answer", id: Int(message.id), flags: String(flags, radix: 16),
                qr: true, aa: flags & 0x0400 != 0 ? true : nil, tc: flags & 0x0200 != 0 ? true : nil,
                rd: flags & 0x0100 != 0 ? true : nil, ra: flags & 0x0080 != 0 ? true : nil,
                z: flags & 0x0040 != 0 ? true : nil, rrname: first.map { EveText.string($0.name) },
                rrtype: first.map { DNSNames.recordType($0.type) }, rcode: DNSNames.responseCode(flags),
                answers: message.answers.isEmpty ? nil : message.answers.map {
                    EveDNSAnswer(
                        rrname: EveText.string($0.name), rrtype: DNSNames.recordType($0.type), ttl: $0.ttl, rdata: $0.data
                    )
                }
            )))
        } else {
            for question in message.questions {
                transaction.append(.dnsQuery, question.name)
                eve.append(.dns(EveDNS(
                    type: "query", id: Int(message.id), z: message.flags & 0x0040 != 0 ? true : nil,
                    rrname: EveText.string(question.name), rrtype: DNSNames.recordType(question.type), tx_id: id
                )))
            }
        }
        return AppLayerRecord(kind: .newTransaction, transaction: transaction, eve: eve)
    }
}
