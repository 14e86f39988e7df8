import Glibc

/// Why a capture file could not be read, and where.
///
/// `offset` is the byte offset in the file of the header, block or record that is wrong, so that a
/// user can look at it with `xxd -s OFFSET`. A reader that has already yielded packets reports the
/// error as its last element (see ``CaptureReader``).
public struct CaptureError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem this is; extensible.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        /// A code; the static members are the ones this reader uses.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The file could not be opened or read.
        public static let unreadableFile = Code(rawValue: "UnreadableFile")
        /// The file starts with neither a pcap magic number nor a pcapng Section Header Block.
        public static let unknownFormat = Code(rawValue: "UnknownFormat")
        /// The file ends inside a header, block or record.
        public static let truncated = Code(rawValue: "Truncated")
        /// A length, magic number or reference is inconsistent.
        public static let corrupt = Code(rawValue: "Corrupt")
        /// Well-formed but a version or option value this reader does not handle.
        public static let unsupported = Code(rawValue: "Unsupported")

        public var description: String { rawValue }
    }

    /// What kind of problem.
    public var code: Code
    /// The byte offset in the file of the problem.
    public var offset: Int
    /// What is wrong, for a human.
    public var message: String
    /// The file, when the reader was opened from a path.
    public var path: String?

    /// An error at `offset` of the file at `path`.
    public init(code: Code, offset: Int, message: String, path: String? = nil) {
        self.code = code
        self.offset = offset
        self.message = message
        self.path = path
    }

    /// `path: offset N: message`.
    public var description: String {
        "\(path.map { "\($0): " } ?? "")offset \(offset): \(message)"
    }
}

/// One packet of a capture file.
public struct CapturedPacket: Hashable, Sendable {
    /// Seconds since 1970-01-01 UTC (with the interface's `if_tsoffset` applied for pcapng).
    public var timestamp: Double
    /// The LINKTYPE_* value of the packet's interface (see ``LinkLayer``).
    public var linkType: UInt32
    /// The captured bytes, starting with the link-layer header. A slice of the reader's buffer, so
    /// its indices are file offsets: use `startIndex`, not 0.
    public var data: ArraySlice<UInt8>
    /// The packet's length on the wire; larger than `data.count` when the capture was cut short.
    public var originalLength: Int
    /// The pcapng interface (index within its section) the packet was captured on; 0 for pcap.
    public var interfaceIndex: Int
    /// The byte offset in the file of the packet's record or block.
    public var fileOffset: Int

    /// A packet (tests and synthetic captures).
    public init(
        timestamp: Double, linkType: UInt32, data: ArraySlice<UInt8>, originalLength: Int,
        interfaceIndex: Int = 0, fileOffset: Int = 0
    ) {
        self.timestamp = timestamp
        self.linkType = linkType
        self.data = data
        self.originalLength = originalLength
        self.interfaceIndex = interfaceIndex
        self.fileOffset = fileOffset
    }
}

/// Reads the packets of a classic pcap or a pcapng file, in file order.
///
/// Formats:
/// - pcap with microsecond (`a1b2c3d4`) or nanosecond (`a1b23c4d`) timestamps, in either byte order;
/// - pcapng: any number of sections, each in its own byte order; Interface Description Blocks give
///   each interface its link type, snap length and timestamp resolution (`if_tsresol`, a power of
///   10 or of 2) and offset (`if_tsoffset`); Enhanced, Simple and (obsolete) Packet Blocks are
///   read, other blocks skipped. A Simple Packet Block carries no timestamp: it gets the timestamp
///   of the packet before it in the file (0 for the first), so time never runs backwards.
///
/// The whole file is read into memory once; packets are slices of that buffer, never copies.
///
/// Errors: ``init(bytes:path:)`` throws when the file header itself is unusable. Everything after
/// it is found while iterating: the iterator's element is a `Result`, and a damaged or truncated
/// record yields the packets before it, then one `.failure` naming the offset, then `nil`.
/// `for result in reader { let packet = try result.get() }` stops at the error with a typed throw;
/// ``Iterator/nextPacket()`` does the same for `while let` loops; ``packets()`` reads everything
/// or throws.
public struct CaptureReader: Sequence, Sendable {
    /// The container format and, for pcap, its timestamp resolution and byte order.
    public enum Format: Hashable, Sendable {
        /// Classic pcap (libpcap's format).
        case pcap(nanosecondTimestamps: Bool, bigEndian: Bool)
        /// pcapng; byte order and resolution are per section and interface.
        case pcapng
    }

    /// The file's bytes.
    public let bytes: [UInt8]
    /// The container format, from the file's first bytes.
    public let format: Format
    /// The path the bytes came from, if any; included in errors.
    public let path: String?

    /// The largest captured length of one packet that is believed (libpcap's limit is 256 KiB;
    /// this is generous): larger values mean a corrupt record, not a big packet.
    static let maximumCapturedLength = 16 * 1024 * 1024

    /// Reads the file at `path` and checks its header.
    public init(path: String) throws(CaptureError) {
        let bytes = try Self.readFile(path)
        try self.init(bytes: bytes, path: path)
    }

    /// Checks the header of a capture held in memory. `path` only labels errors.
    public init(bytes: [UInt8], path: String? = nil) throws(CaptureError) {
        self.bytes = bytes
        self.path = path
        guard bytes.count >= 4 else {
            throw CaptureError(
                code: bytes.isEmpty ? .unknownFormat : .truncated, offset: 0,
                message: bytes.isEmpty ? "empty file" : "\(bytes.count) bytes: too short for a capture file header",
                path: path
            )
        }
        switch (bytes[0], bytes[1], bytes[2], bytes[3]) {
        case (0xA1, 0xB2, 0xC3, 0xD4): format = .pcap(nanosecondTimestamps: false, bigEndian: true)
        case (0xD4, 0xC3, 0xB2, 0xA1): format = .pcap(nanosecondTimestamps: false, bigEndian: false)
        case (0xA1, 0xB2, 0x3C, 0x4D): format = .pcap(nanosecondTimestamps: true, bigEndian: true)
        case (0x4D, 0x3C, 0xB2, 0xA1): format = .pcap(nanosecondTimestamps: true, bigEndian: false)
        case (0x0A, 0x0D, 0x0D, 0x0A): format = .pcapng
        default:
            let hex = bytes[0..<4].map { byte in
                let digits = String(byte, radix: 16)
                return digits.count == 1 ? "0" + digits : digits
            }.joined()
            throw CaptureError(
                code: .unknownFormat, offset: 0,
                message: "not a pcap or pcapng file (starts with 0x\(hex))", path: path
            )
        }
        if case .pcap(_, let bigEndian) = format {
            guard bytes.count >= 24 else {
                throw CaptureError(
                    code: .truncated, offset: 0,
                    message: "pcap file header needs 24 bytes, the file has \(bytes.count)", path: path
                )
            }
            let major = bytes.u16(4, bigEndian: bigEndian)
            guard major == 2 else {
                throw CaptureError(
                    code: .unsupported, offset: 4, message: "pcap version \(major) (only 2.x is defined)", path: path
                )
            }
        }
    }

    /// An iterator from the first packet.
    public func makeIterator() -> Iterator {
        Iterator(reader: self)
    }

    /// Every packet of the file, or the first error.
    public func packets() throws(CaptureError) -> [CapturedPacket] {
        var iterator = makeIterator()
        var packets: [CapturedPacket] = []
        while let packet = try iterator.nextPacket() {
            packets.append(packet)
        }
        return packets
    }

    /// Walks the records or blocks of the file.
    public struct Iterator: IteratorProtocol, Sendable {
        private let bytes: [UInt8]
        private let path: String?
        private var offset: Int
        private var finished = false
        private var bigEndian: Bool
        // pcap
        private var pcapNanoseconds = false
        private var pcapLinkType: UInt32 = 0
        // pcapng
        private let isPcapng: Bool
        private var interfaces: [Interface] = []
        private var lastTimestamp: Double = 0

        /// What a pcapng Interface Description Block says about its packets.
        private struct Interface: Sendable {
            var linkType: UInt32
            var snapLength: Int
            /// Timestamp units per second (10^n or 2^n).
            var unitsPerSecond: UInt64 = 1_000_000
            /// Seconds added to every timestamp (`if_tsoffset`).
            var secondsOffset: Int64 = 0
        }

        init(reader: CaptureReader) {
            bytes = reader.bytes
            path = reader.path
            switch reader.format {
            case .pcap(let nanoseconds, let bigEndian):
                isPcapng = false
                self.bigEndian = bigEndian
                pcapNanoseconds = nanoseconds
                // The top bits carry FCS information (libpcap's LT_LINKTYPE mask).
                pcapLinkType = bytes.u32(20, bigEndian: bigEndian) & 0x03FF_FFFF
                offset = 24
            case .pcapng:
                isPcapng = true
                bigEndian = false
                offset = 0
            }
        }

        /// The next packet, the error that ends the file, or nil after the last packet or error.
        public mutating func next() -> Result<CapturedPacket, CaptureError>? {
            guard !finished else { return nil }
            do throws(CaptureError) {
                let packet = isPcapng ? try nextPcapngPacket() : try nextPcapPacket()
                if packet == nil { finished = true }
                return packet.map { .success($0) }
            } catch {
                finished = true
                return .failure(error)
            }
        }

        /// The next packet; nil at the end; throws once when the file is damaged.
        public mutating func nextPacket() throws(CaptureError) -> CapturedPacket? {
            switch next() {
            case .success(let packet): packet
            case .failure(let error): throw error
            case nil: nil
            }
        }

        private func error(_ code: CaptureError.Code, at offset: Int, _ message: String) -> CaptureError {
            CaptureError(code: code, offset: offset, message: message, path: path)
        }

        // MARK: pcap

        private mutating func nextPcapPacket() throws(CaptureError) -> CapturedPacket? {
            let start = offset
            let remaining = bytes.count - start
            guard remaining > 0 else { return nil }
            guard remaining >= 16 else {
                throw error(.truncated, at: start, "truncated packet record header: 16 bytes needed, \(remaining) remain")
            }
            let seconds = bytes.u32(start, bigEndian: bigEndian)
            let fraction = bytes.u32(start + 4, bigEndian: bigEndian)
            let capturedLength = Int(bytes.u32(start + 8, bigEndian: bigEndian))
            let originalLength = Int(bytes.u32(start + 12, bigEndian: bigEndian))
            guard capturedLength <= CaptureReader.maximumCapturedLength else {
                throw error(.corrupt, at: start, "packet record claims a captured length of \(capturedLength) bytes")
            }
            guard capturedLength <= remaining - 16 else {
                throw error(
                    .truncated, at: start,
                    "truncated packet record: \(capturedLength) bytes of data needed, \(remaining - 16) remain"
                )
            }
            offset = start + 16 + capturedLength
            let timestamp = Double(seconds) + Double(fraction) / (pcapNanoseconds ? 1e9 : 1e6)
            return CapturedPacket(
                timestamp: timestamp, linkType: pcapLinkType, data: bytes[(start + 16)..<offset],
                originalLength: originalLength, interfaceIndex: 0, fileOffset: start
            )
        }

        // MARK: pcapng

        private static let sectionHeaderType: UInt32 = 0x0A0D_0D0A
        private static let interfaceDescriptionType: UInt32 = 1
        private static let obsoletePacketType: UInt32 = 2
        private static let simplePacketType: UInt32 = 3
        private static let enhancedPacketType: UInt32 = 6

        private mutating func nextPcapngPacket() throws(CaptureError) -> CapturedPacket? {
            while offset < bytes.count {
                let start = offset
                let remaining = bytes.count - start
                guard remaining >= 12 else {
                    throw error(.truncated, at: start, "truncated block header: 12 bytes needed, \(remaining) remain")
                }
                if bytes.u32(start, bigEndian: false) == Self.sectionHeaderType {
                    // The byte order is the section's, given by the magic after the length.
                    switch (bytes[start + 8], bytes[start + 9], bytes[start + 10], bytes[start + 11]) {
                    case (0x1A, 0x2B, 0x3C, 0x4D): bigEndian = true
                    case (0x4D, 0x3C, 0x2B, 0x1A): bigEndian = false
                    default:
                        throw error(.corrupt, at: start + 8, "Section Header Block without a valid byte-order magic")
                    }
                }
                let type = bytes.u32(start, bigEndian: bigEndian)
                let length = Int(bytes.u32(start + 4, bigEndian: bigEndian))
                guard length >= 12, length % 4 == 0 else {
                    throw error(.corrupt, at: start, "block of type 0x\(String(type, radix: 16)) has length \(length) (must be a multiple of 4, at least 12)")
                }
                guard length <= remaining else {
                    throw error(.truncated, at: start, "truncated block of type 0x\(String(type, radix: 16)): \(length) bytes needed, \(remaining) remain")
                }
                let trailer = Int(bytes.u32(start + length - 4, bigEndian: bigEndian))
                guard trailer == length else {
                    throw error(.corrupt, at: start + length - 4, "block of type 0x\(String(type, radix: 16)) at \(start) ends with length \(trailer), starts with \(length)")
                }
                offset = start + length
                let body = (start + 8)..<(start + length - 4)
                switch type {
                case Self.sectionHeaderType:
                    try readSectionHeader(body: body)
                case Self.interfaceDescriptionType:
                    try readInterfaceDescription(body: body)
                case Self.enhancedPacketType:
                    return try readEnhancedPacket(block: start, body: body)
                case Self.obsoletePacketType:
                    return try readObsoletePacket(block: start, body: body)
                case Self.simplePacketType:
                    return try readSimplePacket(block: start, body: body)
                default:
                    continue
                }
            }
            return nil
        }

        private mutating func readSectionHeader(body: Range<Int>) throws(CaptureError) {
            guard body.count >= 16 else {
                throw error(.corrupt, at: body.lowerBound - 8, "Section Header Block body of \(body.count) bytes (at least 16 needed)")
            }
            let major = bytes.u16(body.lowerBound + 4, bigEndian: bigEndian)
            guard major == 1 else {
                throw error(.unsupported, at: body.lowerBound + 4, "pcapng major version \(major) (only 1 is defined)")
            }
            interfaces = []
        }

        private mutating func readInterfaceDescription(body: Range<Int>) throws(CaptureError) {
            guard body.count >= 8 else {
                throw error(.corrupt, at: body.lowerBound - 8, "Interface Description Block body of \(body.count) bytes (at least 8 needed)")
            }
            var interface = Interface(
                linkType: UInt32(bytes.u16(body.lowerBound, bigEndian: bigEndian)),
                snapLength: Int(bytes.u32(body.lowerBound + 4, bigEndian: bigEndian))
            )
            var option = body.lowerBound + 8
            options: while option + 4 <= body.upperBound {
                let code = bytes.u16(option, bigEndian: bigEndian)
                let length = Int(bytes.u16(option + 2, bigEndian: bigEndian))
                let value = option + 4
                guard value + length <= body.upperBound else {
                    throw error(.corrupt, at: option, "option \(code) of \(length) bytes runs past its Interface Description Block")
                }
                switch code {
                case 0: // opt_endofopt
                    break options
                case 9 where length >= 1: // if_tsresol
                    let resolution = bytes[value]
                    let exponent = Int(resolution & 0x7F)
                    if resolution & 0x80 == 0 {
                        guard exponent <= 19 else {
                            throw error(.unsupported, at: option, "if_tsresol of 10^-\(exponent) s")
                        }
                        interface.unitsPerSecond = (0..<exponent).reduce(1) { units, _ in units * 10 }
                    } else {
                        guard exponent <= 63 else {
                            throw error(.unsupported, at: option, "if_tsresol of 2^-\(exponent) s")
                        }
                        interface.unitsPerSecond = 1 << UInt64(exponent)
                    }
                case 14 where length >= 8: // if_tsoffset
                    interface.secondsOffset = Int64(bitPattern: bytes.u64(value, bigEndian: bigEndian))
                default:
                    break
                }
                option = value + (length + 3) / 4 * 4
            }
            interfaces.append(interface)
        }

        private func interface(_ index: Int, block: Int) throws(CaptureError) -> Interface {
            guard index < interfaces.count else {
                throw error(.corrupt, at: block, "packet on interface \(index), but the section describes \(interfaces.count) interface(s)")
            }
            return interfaces[index]
        }

        private func timestamp(high: UInt32, low: UInt32, interface: Interface) -> Double {
            let ticks = UInt64(high) << 32 | UInt64(low)
            let (seconds, remainder) = ticks.quotientAndRemainder(dividingBy: interface.unitsPerSecond)
            return Double(seconds) + Double(remainder) / Double(interface.unitsPerSecond)
                + Double(interface.secondsOffset)
        }

        private mutating func readEnhancedPacket(block: Int, body: Range<Int>) throws(CaptureError) -> CapturedPacket {
            guard body.count >= 20 else {
                throw error(.corrupt, at: block, "Enhanced Packet Block body of \(body.count) bytes (at least 20 needed)")
            }
            let base = body.lowerBound
            let index = Int(bytes.u32(base, bigEndian: bigEndian))
            let interface = try interface(index, block: block)
            return try packet(
                block: block, body: body, headerLength: 20, interface: interface, index: index,
                timestamp: timestamp(
                    high: bytes.u32(base + 4, bigEndian: bigEndian), low: bytes.u32(base + 8, bigEndian: bigEndian),
                    interface: interface
                ),
                capturedLength: Int(bytes.u32(base + 12, bigEndian: bigEndian)),
                originalLength: Int(bytes.u32(base + 16, bigEndian: bigEndian))
            )
        }

        private mutating func readObsoletePacket(block: Int, body: Range<Int>) throws(CaptureError) -> CapturedPacket {
            guard body.count >= 20 else {
                throw error(.corrupt, at: block, "Packet Block body of \(body.count) bytes (at least 20 needed)")
            }
            let base = body.lowerBound
            let index = Int(bytes.u16(base, bigEndian: bigEndian))
            let interface = try interface(index, block: block)
            return try packet(
                block: block, body: body, headerLength: 20, interface: interface, index: index,
                timestamp: timestamp(
                    high: bytes.u32(base + 4, bigEndian: bigEndian), low: bytes.u32(base + 8, bigEndian: bigEndian),
                    interface: interface
                ),
                capturedLength: Int(bytes.u32(base + 12, bigEndian: bigEndian)),
                originalLength: Int(bytes.u32(base + 16, bigEndian: bigEndian))
            )
        }

        private mutating func readSimplePacket(block: Int, body: Range<Int>) throws(CaptureError) -> CapturedPacket {
            guard body.count >= 4 else {
                throw error(.corrupt, at: block, "Simple Packet Block body of \(body.count) bytes (at least 4 needed)")
            }
            let interface = try interface(0, block: block)
            let originalLength = Int(bytes.u32(body.lowerBound, bigEndian: bigEndian))
            // The captured length is implied: the original length, cut to the snap length and block.
            var capturedLength = Swift.min(originalLength, body.count - 4)
            if interface.snapLength > 0 { capturedLength = Swift.min(capturedLength, interface.snapLength) }
            return try packet(
                block: block, body: body, headerLength: 4, interface: interface, index: 0,
                timestamp: lastTimestamp, capturedLength: capturedLength, originalLength: originalLength
            )
        }

        private mutating func packet(
            block: Int, body: Range<Int>, headerLength: Int, interface: Interface, index: Int,
            timestamp: Double, capturedLength: Int, originalLength: Int
        ) throws(CaptureError) -> CapturedPacket {
            let dataStart = body.lowerBound + headerLength
            guard capturedLength <= body.upperBound - dataStart else {
                throw error(
                    .corrupt, at: block,
                    "captured length \(capturedLength) exceeds the \(body.upperBound - dataStart) bytes of its block"
                )
            }
            lastTimestamp = timestamp
            return CapturedPacket(
                timestamp: timestamp, linkType: interface.linkType, data: bytes[dataStart..<(dataStart + capturedLength)],
                originalLength: originalLength, interfaceIndex: index, fileOffset: block
            )
        }
    }

    // MARK: File

    private static func readFile(_ path: String) throws(CaptureError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CaptureError(code: .unreadableFile, offset: 0, message: "cannot open: \(String(cString: strerror(errno)))", path: path)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw CaptureError(code: .unreadableFile, offset: 0, message: "cannot stat: \(String(cString: strerror(errno)))", path: path)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(status.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw CaptureError(
                    code: .unreadableFile, offset: bytes.count,
                    message: "read failed: \(String(cString: strerror(errno)))", path: path
                )
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }
}

extension [UInt8] {
    /// Reads in the file's byte order; callers check bounds first.
    @inline(__always) fileprivate func u16(_ offset: Int, bigEndian: Bool) -> UInt16 {
        bigEndian
            ? UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
            : UInt16(self[offset + 1]) << 8 | UInt16(self[offset])
    }

    @inline(__always) fileprivate func u32(_ offset: Int, bigEndian: Bool) -> UInt32 {
        let first = UInt32(u16(offset, bigEndian: bigEndian))
        let second = UInt32(u16(offset + 2, bigEndian: bigEndian))
        return bigEndian ? first << 16 | second : second << 16 | first
    }

    @inline(__always) fileprivate func u64(_ offset: Int, bigEndian: Bool) -> UInt64 {
        let first = UInt64(u32(offset, bigEndian: bigEndian))
        let second = UInt64(u32(offset + 4, bigEndian: bigEndian))
        return bigEndian ? first << 32 | second : second << 32 | first
    }
}
