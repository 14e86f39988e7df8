import DataPlane
import Foundation
import Testing

// MARK: Capture files built byte by byte

/// Appends integers in a chosen byte order.
private struct ByteWriter {
    var bigEndian: Bool
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        let pair = [UInt8(value >> 8), UInt8(value & 0xFF)]
        bytes += bigEndian ? pair : pair.reversed()
    }

    mutating func u32(_ value: UInt32) {
        let quad = [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
        bytes += bigEndian ? quad : quad.reversed()
    }

    mutating func u64(_ value: UInt64) {
        if bigEndian {
            u32(UInt32(value >> 32)); u32(UInt32(value & 0xFFFF_FFFF))
        } else {
            u32(UInt32(value & 0xFFFF_FFFF)); u32(UInt32(value >> 32))
        }
    }

    mutating func padded(_ data: [UInt8]) {
        bytes += data
        bytes += [UInt8](repeating: 0, count: (4 - data.count % 4) % 4)
    }
}

/// A classic pcap file.
private struct PcapFile {
    var bigEndian = false
    var nanoseconds = false
    var linkType: UInt32 = 1
    var snapLength: UInt32 = 65535
    private var records = ByteWriter(bigEndian: false)

    init(bigEndian: Bool = false, nanoseconds: Bool = false, linkType: UInt32 = 1) {
        self.bigEndian = bigEndian
        self.nanoseconds = nanoseconds
        self.linkType = linkType
        records = ByteWriter(bigEndian: bigEndian)
    }

    mutating func packet(seconds: UInt32, fraction: UInt32, _ data: [UInt8], originalLength: Int? = nil) {
        records.u32(seconds)
        records.u32(fraction)
        records.u32(UInt32(data.count))
        records.u32(UInt32(originalLength ?? data.count))
        records.bytes += data
    }

    var bytes: [UInt8] {
        var header = ByteWriter(bigEndian: bigEndian)
        header.u32(nanoseconds ? 0xA1B2_3C4D : 0xA1B2_C3D4)
        header.u16(2)
        header.u16(4)
        header.u32(0)
        header.u32(0)
        header.u32(snapLength)
        header.u32(linkType)
        return header.bytes + records.bytes
    }
}

/// A pcapng file, section by section.
private struct PcapngFile {
    private(set) var bytes: [UInt8] = []
    private var bigEndian = false

    mutating func block(type: UInt32, body: (inout ByteWriter) -> Void) {
        var content = ByteWriter(bigEndian: bigEndian)
        body(&content)
        precondition(content.bytes.count % 4 == 0)
        var block = ByteWriter(bigEndian: bigEndian)
        block.u32(type)
        block.u32(UInt32(content.bytes.count + 12))
        block.bytes += content.bytes
        block.u32(UInt32(content.bytes.count + 12))
        bytes += block.bytes
    }

    mutating func section(bigEndian: Bool) {
        self.bigEndian = bigEndian
        block(type: 0x0A0D_0D0A) { body in
            body.u32(0x1A2B_3C4D)
            body.u16(1)
            body.u16(0)
            body.u64(UInt64.max) // section length unknown
            body.u16(3) // shb_userappl
            body.u16(5)
            body.padded(Array("tests".utf8))
            body.u32(0) // opt_endofopt
        }
    }

    /// An Interface Description Block; `resolution` is the raw if_tsresol byte.
    mutating func interface(linkType: UInt16, snapLength: UInt32 = 0, resolution: UInt8? = nil, offsetSeconds: Int64? = nil) {
        block(type: 1) { body in
            body.u16(linkType)
            body.u16(0)
            body.u32(snapLength)
            body.u16(2) // if_name
            body.u16(4)
            body.padded(Array("eth0".utf8))
            if let resolution {
                body.u16(9)
                body.u16(1)
                body.padded([resolution])
            }
            if let offsetSeconds {
                body.u16(14)
                body.u16(8)
                body.u64(UInt64(bitPattern: offsetSeconds))
            }
            body.u32(0)
        }
    }

    mutating func enhancedPacket(interface: UInt32, ticks: UInt64, _ data: [UInt8], originalLength: Int? = nil) {
        block(type: 6) { body in
            body.u32(interface)
            body.u32(UInt32(ticks >> 32))
            body.u32(UInt32(ticks & 0xFFFF_FFFF))
            body.u32(UInt32(data.count))
            body.u32(UInt32(originalLength ?? data.count))
            body.padded(data)
            body.u16(1) // opt_comment
            body.u16(2)
            body.padded(Array("hi".utf8))
            body.u32(0)
        }
    }

    mutating func simplePacket(_ data: [UInt8], originalLength: Int? = nil) {
        block(type: 3) { body in
            body.u32(UInt32(originalLength ?? data.count))
            body.padded(data)
        }
    }

    mutating func obsoletePacket(interface: UInt16, ticks: UInt64, _ data: [UInt8]) {
        block(type: 2) { body in
            body.u16(interface)
            body.u16(0)
            body.u32(UInt32(ticks >> 32))
            body.u32(UInt32(ticks & 0xFFFF_FFFF))
            body.u32(UInt32(data.count))
            body.u32(UInt32(data.count))
            body.padded(data)
        }
    }

    /// A block this reader does not interpret (Name Resolution, Interface Statistics, custom).
    mutating func otherBlock(type: UInt32) {
        block(type: type) { body in body.padded([1, 2, 3, 4, 5]) }
    }
}

/// An Ethernet frame with the given ethertype (and VLAN tags before it).
private func ethernet(_ etherType: UInt16, _ payload: [UInt8], vlanTags: [UInt16] = []) -> [UInt8] {
    var frame: [UInt8] = [0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2]
    for tpid in vlanTags {
        frame += [UInt8(tpid >> 8), UInt8(tpid & 0xFF), 0x00, 0x64] // VLAN 100
    }
    return frame + [UInt8(etherType >> 8), UInt8(etherType & 0xFF)] + payload
}

/// A minimal IPv4 header (no payload, checksum left 0) declaring `totalLength`.
private func ipv4Header(totalLength: UInt16 = 20) -> [UInt8] {
    [0x45, 0, UInt8(totalLength >> 8), UInt8(totalLength & 0xFF), 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]
        + [UInt8](repeating: 0xAB, count: max(0, Int(totalLength) - 20))
}

/// A minimal IPv6 header (next header: no next header) declaring `payloadLength`.
private func ipv6Header(payloadLength: UInt16 = 0) -> [UInt8] {
    [0x60, 0, 0, 0, UInt8(payloadLength >> 8), UInt8(payloadLength & 0xFF), 59, 64]
        + [UInt8](repeating: 0x20, count: 16) + [UInt8](repeating: 0x21, count: 16)
        + [UInt8](repeating: 0xCD, count: Int(payloadLength))
}

private func readAll(_ bytes: [UInt8]) throws(CaptureError) -> [CapturedPacket] {
    try CaptureReader(bytes: bytes).packets()
}

// MARK: Reader

@Suite("Capture reader")
struct CaptureReaderTests {
    @Test(arguments: [false, true])
    func pcapMicroseconds(bigEndian: Bool) throws {
        var file = PcapFile(bigEndian: bigEndian, linkType: 1)
        file.packet(seconds: 1_700_000_000, fraction: 250_000, [1, 2, 3])
        file.packet(seconds: 1_700_000_001, fraction: 999_999, [4, 5, 6, 7], originalLength: 1500)
        file.packet(seconds: 1_700_000_002, fraction: 0, [])
        let reader = try CaptureReader(bytes: file.bytes)
        #expect(reader.format == .pcap(nanosecondTimestamps: false, bigEndian: bigEndian))
        let packets = try reader.packets()
        #expect(packets.count == 3)
        #expect(packets.map(\.linkType) == [1, 1, 1])
        #expect(packets.map { Array($0.data) } == [[1, 2, 3], [4, 5, 6, 7], []])
        #expect(packets.map(\.originalLength) == [3, 1500, 0])
        #expect(packets.map(\.fileOffset) == [24, 24 + 16 + 3, 24 + 16 + 3 + 16 + 4])
        #expect(abs(packets[0].timestamp - 1_700_000_000.25) < 1e-6)
        #expect(abs(packets[1].timestamp - 1_700_000_001.999999) < 1e-6)
        #expect(packets[2].timestamp == 1_700_000_002)
    }

    @Test(arguments: [false, true])
    func pcapNanoseconds(bigEndian: Bool) throws {
        var file = PcapFile(bigEndian: bigEndian, nanoseconds: true, linkType: 101)
        file.packet(seconds: 10, fraction: 123_456_789, ipv4Header())
        let reader = try CaptureReader(bytes: file.bytes)
        #expect(reader.format == .pcap(nanosecondTimestamps: true, bigEndian: bigEndian))
        let packet = try #require(try reader.packets().first)
        #expect(abs(packet.timestamp - 10.123456789) < 1e-9)
        #expect(packet.linkType == 101)
    }

    @Test func pcapLinkTypeIgnoresFCSBits() throws {
        var file = PcapFile(linkType: 0x1400_0001) // FCS present, 4 bytes; Ethernet
        file.packet(seconds: 1, fraction: 0, [0])
        #expect(try readAll(file.bytes).first?.linkType == 1)
    }

    @Test func emptyCaptureHasNoPackets() throws {
        #expect(try readAll(PcapFile().bytes).isEmpty)
        var file = PcapngFile()
        file.section(bigEndian: false)
        #expect(try readAll(file.bytes).isEmpty)
    }

    @Test(arguments: [false, true])
    func pcapngTwoInterfacesWithTheirOwnLinkTypeAndResolution(bigEndian: Bool) throws {
        var file = PcapngFile()
        file.section(bigEndian: bigEndian)
        file.interface(linkType: 1) // microseconds by default
        file.otherBlock(type: 4) // Name Resolution Block
        file.interface(linkType: 113, resolution: 9) // nanoseconds
        file.enhancedPacket(interface: 0, ticks: 1_700_000_000_500_000, [0xAA, 0xBB, 0xCC], originalLength: 60)
        file.enhancedPacket(interface: 1, ticks: 1_700_000_000_123_456_789, [1, 2, 3, 4, 5])
        file.otherBlock(type: 5) // Interface Statistics Block
        file.otherBlock(type: 0x4000_0BAD) // custom
        file.enhancedPacket(interface: 0, ticks: 1_700_000_001_000_000, [])
        let reader = try CaptureReader(bytes: file.bytes)
        #expect(reader.format == .pcapng)
        let packets = try reader.packets()
        #expect(packets.count == 3)
        #expect(packets.map(\.linkType) == [1, 113, 1])
        #expect(packets.map(\.interfaceIndex) == [0, 1, 0])
        #expect(packets.map { Array($0.data) } == [[0xAA, 0xBB, 0xCC], [1, 2, 3, 4, 5], []])
        #expect(packets.map(\.originalLength) == [60, 5, 0])
        #expect(abs(packets[0].timestamp - 1_700_000_000.5) < 1e-6)
        #expect(abs(packets[1].timestamp - 1_700_000_000.123456789) < 1e-6)
        #expect(packets[2].timestamp == 1_700_000_001)
        // Each packet's offset points at its block: the type there is an EPB.
        for packet in packets {
            let type = Array(file.bytes[packet.fileOffset..<(packet.fileOffset + 4)])
            #expect(type == (bigEndian ? [0, 0, 0, 6] : [6, 0, 0, 0]))
        }
    }

    @Test func pcapngBinaryResolutionAndOffset() throws {
        var file = PcapngFile()
        file.section(bigEndian: false)
        file.interface(linkType: 101, resolution: 0x80 | 10, offsetSeconds: 1_000) // 1/1024 s
        file.enhancedPacket(interface: 0, ticks: 3 * 1024 + 512, ipv4Header())
        let packet = try #require(try readAll(file.bytes).first)
        #expect(packet.timestamp == 1_003.5)
    }

    @Test func pcapngSimpleAndObsoletePacketBlocks() throws {
        var file = PcapngFile()
        file.section(bigEndian: true)
        file.interface(linkType: 1, snapLength: 4, resolution: 3) // milliseconds
        file.obsoletePacket(interface: 0, ticks: 42_500, [9, 8, 7])
        file.simplePacket([1, 2, 3, 4, 5, 6], originalLength: 6) // cut to the snap length
        file.simplePacket([1, 2], originalLength: 2)
        let packets = try readAll(file.bytes)
        #expect(packets.map { Array($0.data) } == [[9, 8, 7], [1, 2, 3, 4], [1, 2]])
        #expect(packets.map(\.originalLength) == [3, 6, 2])
        // Simple Packet Blocks carry no time: they keep the previous packet's.
        #expect(packets.map(\.timestamp) == [42.5, 42.5, 42.5])
    }

    @Test func pcapngSectionsHaveTheirOwnByteOrderAndInterfaces() throws {
        var file = PcapngFile()
        file.section(bigEndian: false)
        file.interface(linkType: 1)
        file.enhancedPacket(interface: 0, ticks: 1_000_000, [1])
        file.section(bigEndian: true)
        file.interface(linkType: 229, resolution: 9)
        file.enhancedPacket(interface: 0, ticks: 2_000_000_000, [2])
        file.section(bigEndian: false)
        file.interface(linkType: 0)
        file.interface(linkType: 276)
        file.enhancedPacket(interface: 1, ticks: 3_000_000, [3])
        let packets = try readAll(file.bytes)
        #expect(packets.map(\.linkType) == [1, 229, 276])
        #expect(packets.map(\.timestamp) == [1, 2, 3])
        #expect(packets.map { Array($0.data) } == [[1], [2], [3]])
    }

    @Test func readsFromAPath() throws {
        var file = PcapFile()
        file.packet(seconds: 5, fraction: 0, [7, 7, 7])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("capture-\(UUID().uuidString).pcap").path
        try Data(file.bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try CaptureReader(path: path)
        #expect(reader.path == path)
        #expect(try reader.packets().map { Array($0.data) } == [[7, 7, 7]])
    }

    // MARK: Damaged files

    @Test func missingFileIsUnreadable() throws {
        let error = try #require(throws: CaptureError.self) {
            try CaptureReader(path: "/nonexistent/capture.pcap")
        }
        #expect(error.code == .unreadableFile)
        #expect(error.description == "/nonexistent/capture.pcap: offset 0: cannot open: No such file or directory")
    }

    @Test(arguments: [
        ([] as [UInt8], CaptureError.Code.unknownFormat, "empty file"),
        ([0xD4, 0xC3], .truncated, "too short"),
        (Array("GET / HTTP/1.1\r\n".utf8), .unknownFormat, "0x47455420"),
        ([0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0], .truncated, "24 bytes"),
        ([0xD4, 0xC3, 0xB2, 0xA1, 1, 0, 4, 0] + [UInt8](repeating: 0, count: 16), .unsupported, "version 1"),
    ])
    func unusableHeaderThrowsAtOnce(bytes: [UInt8], code: CaptureError.Code, message: String) throws {
        let error = try #require(throws: CaptureError.self) { try CaptureReader(bytes: bytes) }
        #expect(error.code == code)
        #expect(error.offset == 0 || code == .unsupported)
        #expect(error.message.contains(message), "\(error)")
    }

    @Test func truncatedPcapYieldsTheEarlierPacketsThenTheError() throws {
        var file = PcapFile()
        file.packet(seconds: 1, fraction: 0, [1, 1])
        file.packet(seconds: 2, fraction: 0, [2, 2])
        file.packet(seconds: 3, fraction: 0, [3, 3, 3, 3])
        let bytes = Array(file.bytes.dropLast(2))
        let thirdRecord = 24 + 18 + 18
        var results: [Result<CapturedPacket, CaptureError>] = []
        for result in try CaptureReader(bytes: bytes) { results.append(result) }
        #expect(results.count == 3)
        #expect(try results[0].get().data.elementsEqual([1, 1]))
        #expect(try results[1].get().data.elementsEqual([2, 2]))
        guard case .failure(let error) = results[2] else {
            Issue.record("expected an error, got \(results[2])")
            return
        }
        #expect(error.code == .truncated)
        #expect(error.offset == thirdRecord)
        #expect(error.description == "offset \(thirdRecord): truncated packet record: 4 bytes of data needed, 2 remain")
        #expect(throws: error) { try CaptureReader(bytes: bytes).packets() }

        // The throwing iterator: two packets, then the error, then nothing.
        var iterator = try CaptureReader(bytes: bytes).makeIterator()
        #expect(try iterator.nextPacket() != nil)
        #expect(try iterator.nextPacket() != nil)
        #expect(throws: error) { try iterator.nextPacket() }
        #expect(try iterator.nextPacket() == nil)
    }

    @Test func pcapRecordHeaderCutShort() throws {
        var file = PcapFile()
        file.packet(seconds: 1, fraction: 0, [1])
        file.packet(seconds: 2, fraction: 0, [2])
        let bytes = Array(file.bytes.dropLast(10))
        #expect(throws: CaptureError(code: .truncated, offset: 41, message: "truncated packet record header: 16 bytes needed, 7 remain")) {
            try readAll(bytes)
        }
    }

    @Test func absurdCapturedLengthIsCorrupt() throws {
        var bytes = PcapFile().bytes
        var record = ByteWriter(bigEndian: false)
        record.u32(1); record.u32(0); record.u32(0x7FFF_FFFF); record.u32(60)
        bytes += record.bytes + [0, 0, 0, 0]
        let error = try #require(throws: CaptureError.self) { try readAll(bytes) }
        #expect(error.code == .corrupt && error.offset == 24)
        #expect(error.message == "packet record claims a captured length of 2147483647 bytes")
    }

    private func damagedPcapng(_ damage: (inout [UInt8], _ lastBlock: Int) -> Void) -> CaptureError? {
        var file = PcapngFile()
        file.section(bigEndian: false)
        file.interface(linkType: 1)
        file.enhancedPacket(interface: 0, ticks: 1, [1, 2, 3, 4])
        let lastBlock = file.bytes.count
        file.enhancedPacket(interface: 0, ticks: 2, [5, 6, 7, 8])
        var bytes = file.bytes
        damage(&bytes, lastBlock)
        guard let reader = try? CaptureReader(bytes: bytes) else { return nil }
        var results = Array(reader)
        guard results.count == 2, case .success = results[0], case .failure(let error) = results.removeLast() else {
            Issue.record("expected one packet then an error, got \(results)")
            return nil
        }
        #expect(error.offset >= lastBlock)
        return error
    }

    @Test func truncatedPcapngBlock() throws {
        let error = try #require(damagedPcapng { bytes, _ in bytes.removeLast(6) })
        #expect(error.code == .truncated)
        #expect(error.message.contains("truncated block of type 0x6"))
        let header = try #require(damagedPcapng { bytes, last in bytes.removeLast(bytes.count - last - 8) })
        #expect(header.code == .truncated && header.message.contains("block header"))
    }

    @Test func pcapngTrailerMismatchIsCorrupt() throws {
        let error = try #require(damagedPcapng { bytes, _ in bytes[bytes.count - 4] = 0x34 })
        #expect(error.code == .corrupt)
        #expect(error.message.contains("ends with length"))
    }

    @Test func pcapngLengthNotAMultipleOfFour() throws {
        let error = try #require(damagedPcapng { bytes, last in bytes[last + 4] += 1 })
        #expect(error.code == .corrupt)
        #expect(error.message.contains("multiple of 4"))
    }

    @Test func pcapngUnknownInterfaceIsCorrupt() throws {
        let error = try #require(damagedPcapng { bytes, last in bytes[last + 8] = 3 })
        #expect(error.code == .corrupt)
        #expect(error.message == "packet on interface 3, but the section describes 1 interface(s)")
    }

    @Test func pcapngCapturedLengthBeyondTheBlockIsCorrupt() throws {
        let error = try #require(damagedPcapng { bytes, last in bytes[last + 20] = 200 })
        #expect(error.code == .corrupt)
        #expect(error.message.contains("captured length 200 exceeds"))
    }

    @Test func pcapngSecondSectionWithBadMagic() throws {
        let error = try #require(damagedPcapng { bytes, last in
            var section = PcapngFile()
            section.section(bigEndian: false)
            var header = section.bytes
            header[8] = 0xEE
            bytes.replaceSubrange(last..., with: header)
        })
        #expect(error.code == .corrupt && error.message.contains("byte-order magic"))
    }

    // MARK: Real captures

    /// The suricata-verify cases, at `../shared/conformance/suricata-verify/cases` from the
    /// repository root (as in CI); nil when that folder is not there.
    static let conformanceCases: URL? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let cases = root.deletingLastPathComponent().appendingPathComponent("shared/conformance/suricata-verify/cases")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: cases.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        return cases
    }()

    @Test(.enabled(if: CaptureReaderTests.conformanceCases != nil, "the suricata-verify cases are not next to the repository"))
    func conformanceCapturesHaveTheExpectedPacketCounts() throws {
        let casesDirectory = try #require(Self.conformanceCases)
        let names = try FileManager.default.contentsOfDirectory(atPath: casesDirectory.path).sorted()
        let linkTypes: [String: UInt32] = ["NULL": 0, "EN10MB": 1, "RAW": 101, "LINUX_SLL": 113, "LINUX_SLL2": 276]
        var checked = 0
        for name in names {
            let directory = casesDirectory.appendingPathComponent(name)
            let caseFile = directory.appendingPathComponent("case.json")
            guard FileManager.default.fileExists(atPath: caseFile.path) else { continue }
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: caseFile))
            let description = try #require(object as? [String: Any], "\(name)/case.json")
            let pcap = try #require(description["pcap"] as? String)
            let expectedCount = try #require(description["packets"] as? Int)
            let packets = try CaptureReader(path: directory.appendingPathComponent(pcap).path).packets()
            #expect(packets.count == expectedCount, "\(name)")
            if let linkName = description["linktype"] as? String, let linkType = linkTypes[linkName] {
                #expect(packets.allSatisfy { $0.linkType == linkType }, "\(name)")
            }
            // Every capture holds IP traffic the link layer can find, and time never runs backwards.
            #expect(packets.contains { LinkLayer.ipPacket($0.data, linkType: $0.linkType) != nil }, "\(name)")
            #expect(zip(packets, packets.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp }, "\(name)")
            checked += 1
        }
        #expect(checked > 0)
    }
}

// MARK: Link layer

@Suite("Capture reader: link layer")
struct CaptureReaderLinkLayerTests {
    static let v4 = ipv4Header(totalLength: 28)
    static let v6 = ipv6Header(payloadLength: 4)

    @Test func ethernetIPv4AndIPv6() {
        #expect(LinkLayer.ipPacket(ethernet(0x0800, Self.v4), linkType: 1).map { Array($0) } == Self.v4)
        #expect(LinkLayer.ipPacket(ethernet(0x86DD, Self.v6), linkType: 1).map { Array($0) } == Self.v6)
    }

    @Test(arguments: [UInt16(0x0806), 0x88CC, 0x8847, 0x002E])
    func ethernetOtherEtherTypesAreNotIP(etherType: UInt16) {
        #expect(LinkLayer.ipPacket(ethernet(etherType, Self.v4), linkType: 1) == nil)
    }

    @Test(arguments: [[UInt16(0x8100)], [0x88A8, 0x8100], [0x88A8, 0x8100, 0x8100], [0x9100, 0x8100]])
    func vlanTags(tags: [UInt16]) {
        let frame = ethernet(0x0800, Self.v4, vlanTags: tags)
        let packet = LinkLayer.ipPacket(frame, linkType: 1)
        #expect(packet.map { Array($0) } == Self.v4)
        #expect(packet?.startIndex == 14 + 4 * tags.count)
        #expect(LinkLayer.ipPacket(ethernet(0x0806, Self.v4, vlanTags: tags), linkType: 1) == nil)
    }

    @Test func tooManyOrCutVLANTags() {
        let tags = [UInt16](repeating: 0x8100, count: LinkLayer.maximumVLANTags + 1)
        #expect(LinkLayer.ipPacket(ethernet(0x0800, Self.v4, vlanTags: tags), linkType: 1) == nil)
        let cut = Array(ethernet(0x0800, [], vlanTags: [0x8100]).prefix(16))
        #expect(LinkLayer.ipPacket(cut, linkType: 1) == nil)
        #expect(LinkLayer.ipPacket(Array(repeating: 0, count: 13), linkType: 1) == nil)
    }

    @Test func ethernetPaddingIsTrimmed() {
        let small = ipv4Header(totalLength: 20)
        let frame = ethernet(0x0800, small) + [UInt8](repeating: 0, count: 26) // padded to 60
        #expect(LinkLayer.ipPacket(frame, linkType: 1).map { Array($0) } == small)
        let v6Frame = ethernet(0x86DD, Self.v6) + [0, 0, 0, 0]
        #expect(LinkLayer.ipPacket(v6Frame, linkType: 1).map { Array($0) } == Self.v6)
        // Shorter than declared: returned whole for the decoder to judge.
        let short = Array(ethernet(0x0800, Self.v4).dropLast(3))
        #expect(LinkLayer.ipPacket(short, linkType: 1)?.count == Self.v4.count - 3)
    }

    @Test func slicesKeepTheirIndices() {
        let file = [UInt8](repeating: 0xFF, count: 100) + ethernet(0x0800, Self.v4) + [0, 0]
        let frame = file[100..<(file.count - 2)]
        let packet = LinkLayer.ipPacket(frame, linkType: 1)
        #expect(packet?.startIndex == 114)
        #expect(packet.map { Array($0) } == Self.v4)
    }

    @Test(arguments: [UInt32(101), 12, 14])
    func rawIP(linkType: UInt32) {
        #expect(LinkLayer.ipPacket(Self.v4, linkType: linkType).map { Array($0) } == Self.v4)
        #expect(LinkLayer.ipPacket(Self.v6, linkType: linkType).map { Array($0) } == Self.v6)
        #expect(LinkLayer.ipPacket([0x20] + Self.v4.dropFirst(), linkType: linkType) == nil)
        #expect(LinkLayer.ipPacket([], linkType: linkType) == nil)
    }

    @Test func ipv4AndIPv6LinkTypes() {
        #expect(LinkLayer.ipPacket(Self.v4, linkType: 228).map { Array($0) } == Self.v4)
        #expect(LinkLayer.ipPacket(Self.v6, linkType: 228) == nil)
        #expect(LinkLayer.ipPacket(Self.v6, linkType: 229).map { Array($0) } == Self.v6)
        #expect(LinkLayer.ipPacket(Self.v4, linkType: 229) == nil)
    }

    @Test func linuxCookedV1() {
        // packet type, ARPHRD, address length, 8 address bytes, protocol.
        let header: [UInt8] = [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0]
        #expect(LinkLayer.ipPacket(header + [0x08, 0x00] + Self.v4, linkType: 113).map { Array($0) } == Self.v4)
        #expect(LinkLayer.ipPacket(header + [0x86, 0xDD] + Self.v6, linkType: 113).map { Array($0) } == Self.v6)
        #expect(LinkLayer.ipPacket(header + [0x08, 0x06] + Self.v4, linkType: 113) == nil)
        #expect(LinkLayer.ipPacket(header + [0x08], linkType: 113) == nil)
    }

    @Test func linuxCookedV2() {
        // protocol, reserved, interface index, ARPHRD, packet type, address length, 8 address bytes.
        let rest: [UInt8] = [0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0]
        #expect(LinkLayer.ipPacket([0x08, 0x00] + rest + Self.v4, linkType: 276).map { Array($0) } == Self.v4)
        #expect(LinkLayer.ipPacket([0x86, 0xDD] + rest + Self.v6, linkType: 276).map { Array($0) } == Self.v6)
        #expect(LinkLayer.ipPacket([0x08, 0x06] + rest + Self.v4, linkType: 276) == nil)
        #expect(LinkLayer.ipPacket([0x08, 0x00] + rest.dropLast(), linkType: 276) == nil)
    }

    @Test(arguments: [UInt32(2), 24, 28, 30])
    func nullInEitherByteOrder(family: UInt32) {
        let payload = family == 2 ? Self.v4 : Self.v6
        let little = [UInt8(family), 0, 0, 0] + payload
        let big = [0, 0, 0, UInt8(family)] + payload
        #expect(LinkLayer.ipPacket(little, linkType: 0).map { Array($0) } == payload)
        #expect(LinkLayer.ipPacket(big, linkType: 0).map { Array($0) } == payload)
    }

    @Test func nullAndLoopOtherFamilies() {
        #expect(LinkLayer.ipPacket([7, 0, 0, 0] + Self.v4, linkType: 0) == nil)
        #expect(LinkLayer.ipPacket([2, 0, 0], linkType: 0) == nil)
        // LOOP is network order only.
        #expect(LinkLayer.ipPacket([0, 0, 0, 2] + Self.v4, linkType: 108).map { Array($0) } == Self.v4)
        #expect(LinkLayer.ipPacket([0, 0, 0, 24] + Self.v6, linkType: 108).map { Array($0) } == Self.v6)
        #expect(LinkLayer.ipPacket([2, 0, 0, 0] + Self.v4, linkType: 108) == nil)
    }

    @Test func unknownLinkType() {
        #expect(LinkLayer.ipPacket(Self.v4, linkType: 105) == nil) // 802.11
        #expect(LinkLayer.ipPacket(Self.v4, linkType: 9) == nil) // PPP
    }
}
