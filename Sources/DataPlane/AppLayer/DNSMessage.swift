/// A DNS message (RFC 1035 section 4.1) as far as Rampart uses it: header, questions, and the answer
/// section's records with A, AAAA, CNAME, NS, PTR, MX and TXT data decoded. Names are followed through
/// compression pointers, each of which must point before the label that holds it (so no loop can form)
/// and at most `maxPointers` of them per name.
struct DNSMessage {
    struct Question: Hashable {
        /// Labels joined by `.`, as in the packet (no case change, no trailing dot).
        var name: [UInt8]
        var type: UInt16
        var questionClass: UInt16
    }

    struct ResourceRecord: Hashable {
        var name: [UInt8]
        var type: UInt16
        var ttl: UInt32
        /// The data as EVE prints it, for the decoded types.
        var data: String?
    }

    var id: UInt16
    var flags: UInt16
    var questions: [Question]
    var answers: [ResourceRecord]

    var isResponse: Bool { flags & 0x8000 != 0 }

    /// Whether the message in `bytes` (a header at least) is a response: its QR bit, without parsing it.
    static func isResponse(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.count > 2 && bytes[bytes.startIndex + 2] & 0x80 != 0
    }

    private static let maxPointers = 32
    private static let maxNameLength = 255

    /// Parses `bytes` as one message. `strict` (used to recognise DNS off port 53) also requires the
    /// answer, authority and additional sections to parse and the message to end exactly there, and at
    /// least one question; otherwise the header and questions suffice and later sections are read as far
    /// as they parse.
    init?(_ bytes: [UInt8], strict: Bool) {
        var reader = ByteReader(bytes)
        guard let id = reader.u16(), let flags = reader.u16(), let questionCount = reader.u16(),
              let answerCount = reader.u16(), let authorityCount = reader.u16(), let additionalCount = reader.u16()
        else { return nil }
        self.id = id
        self.flags = flags
        if strict {
            let opcode = (flags >> 11) & 0xF
            guard questionCount >= 1, questionCount <= 16, opcode <= 6, opcode != 3 else { return nil }
        }
        questions = []
        answers = []
        var offset = reader.offset
        for _ in 0..<min(Int(questionCount), AppLayerLimits.dnsRecordsPerSection) {
            guard let name = Self.name(in: bytes, at: offset), name.next + 4 <= bytes.count else { return nil }
            var fixed = ByteReader(bytes, from: name.next)
            guard let type = fixed.u16(), let questionClass = fixed.u16() else { return nil }
            questions.append(Question(name: name.name, type: type, questionClass: questionClass))
            offset = name.next + 4
        }
        let sections = [answerCount, authorityCount, additionalCount]
        for (index, count) in sections.enumerated() {
            for _ in 0..<min(Int(count), AppLayerLimits.dnsRecordsPerSection) {
                guard let parsed = Self.record(in: bytes, at: offset, decodeData: index == 0) else {
                    if strict { return nil }
                    return
                }
                if index == 0 { answers.append(parsed.record) }
                offset = parsed.next
            }
        }
        if strict, offset != bytes.count, sections.allSatisfy({ Int($0) <= AppLayerLimits.dnsRecordsPerSection }) {
            return nil
        }
    }

    /// A resource record at `offset` and the offset after it.
    private static func record(in bytes: [UInt8], at offset: Int, decodeData: Bool) -> (record: ResourceRecord, next: Int)? {
        guard let owner = name(in: bytes, at: offset) else { return nil }
        var reader = ByteReader(bytes, from: owner.next)
        guard let type = reader.u16(), reader.u16() != nil, let ttl = reader.u32(), let length = reader.u16(),
              reader.remaining >= Int(length)
        else { return nil }
        let dataStart = reader.offset
        let dataEnd = dataStart + Int(length)
        var data: String?
        if decodeData {
            let rdata = bytes[dataStart..<dataEnd]
            switch type {
            case 1 where length == 4:
                data = rdata.map(String.init).joined(separator: ".")
            case 28 where length == 16:
                // Suricata's format: eight groups of four hex digits, no compression.
                let hex = EveText.hex(rdata, upper: false)
                data = stride(from: 0, to: 32, by: 4).map { offset in
                    let start = hex.index(hex.startIndex, offsetBy: offset)
                    return String(hex[start..<hex.index(start, offsetBy: 4)])
                }.joined(separator: ":")
            case 2, 5, 12:
                data = Self.name(in: bytes, at: dataStart, end: dataEnd).map { EveText.string($0.name) }
            case 15 where length >= 3:
                data = Self.name(in: bytes, at: dataStart + 2, end: dataEnd).map { EveText.string($0.name) }
            case 16 where length >= 1:
                let textLength = min(Int(rdata.first!), Int(length) - 1)
                data = EveText.string(rdata.dropFirst().prefix(textLength))
            default:
                break
            }
        }
        return (ResourceRecord(name: owner.name, type: type, ttl: ttl, data: data), dataEnd)
    }

    /// The name at `offset` (labels joined by `.`) and the offset after it in the message.
    static func name(in bytes: [UInt8], at offset: Int, end: Int? = nil) -> (name: [UInt8], next: Int)? {
        let end = min(end ?? bytes.count, bytes.count)
        var name: [UInt8] = []
        var position = offset
        var next: Int?
        var pointers = 0
        var limit = end // labels read directly must lie inside the record; pointed-to ones anywhere before
        while true {
            guard position < limit else { return nil }
            let length = Int(bytes[position])
            if length == 0 {
                return (name, next ?? position + 1)
            }
            switch length & 0xC0 {
            case 0xC0:
                guard position + 1 < limit else { return nil }
                let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                pointers += 1
                guard target < position, pointers <= maxPointers else { return nil }
                if next == nil { next = position + 2 }
                position = target
                limit = bytes.count
            case 0x00:
                guard position + 1 + length <= limit else { return nil }
                if !name.isEmpty { name.append(UInt8(ascii: ".")) }
                name.append(contentsOf: bytes[(position + 1)...(position + length)])
                guard name.count <= maxNameLength else { return nil }
                position += 1 + length
            default:
                return nil
            }
        }
    }
}
