@testable import DataPlane
import Rules
import Shared

/// Helpers shared by the application-layer tests.
enum AppLayerFixture {
    /// Bytes from a hex string (whitespace ignored).
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8).filter { !$0.isWhitespace }
        precondition(digits.count % 2 == 0, "odd hex length")
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)! }
    }

    /// TLS records of `type` carrying `payload`, at most `fragment` bytes each.
    static func records(_ payload: [UInt8], type: UInt8 = 22, fragment: Int = 16_384) -> [UInt8] {
        var out: [UInt8] = []
        var start = 0
        while start < payload.count {
            let end = min(start + fragment, payload.count)
            out += [type, 3, 3, UInt8((end - start) >> 8), UInt8((end - start) & 0xFF)] + payload[start..<end]
            start = end
        }
        return out
    }

    /// Feeds `bytes` in pieces of the given sizes (the last piece takes the rest).
    static func feed(_ state: inout AppLayerState, _ bytes: [UInt8], _ direction: FlowDirection, pieces: [Int] = []) -> [AppLayerRecord] {
        var records: [AppLayerRecord] = []
        var start = 0
        for size in pieces where start < bytes.count {
            let end = min(start + size, bytes.count)
            records += state.feed(Array(bytes[start..<end]), direction)
            start = end
        }
        if start < bytes.count { records += state.feed(Array(bytes[start...]), direction) }
        return records
    }
}

extension AppLayerState {
    /// Feeds one chunk from an array.
    mutating func feed(_ bytes: [UInt8], _ direction: FlowDirection) -> [AppLayerRecord] {
        bytes.withUnsafeBytes { feed($0, direction: direction) }
    }

    mutating func feed(_ text: String, _ direction: FlowDirection) -> [AppLayerRecord] {
        feed(Array(text.utf8), direction)
    }
}

extension AppTransaction {
    /// The single value of `buffer` as text, nil when absent.
    func text(_ buffer: InspectionBuffer) -> String? {
        self[buffer].first.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every value of `buffer` as text.
    func texts(_ buffer: InspectionBuffer) -> [String] {
        self[buffer].map { String(decoding: $0, as: UTF8.self) }
    }
}

extension AppLayerRecord {
    var http: EveHTTP? {
        for case .http(let http) in eve { return http }
        return nil
    }

    var tls: EveTLS? {
        for case .tls(let tls) in eve { return tls }
        return nil
    }

    var dns: [EveDNS] {
        eve.compactMap { if case .dns(let dns) = $0 { dns } else { nil } }
    }
}

private extension UInt8 {
    var isWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}

/// A small deterministic generator for the fuzz tests (SplitMix64), so a failure reproduces.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
