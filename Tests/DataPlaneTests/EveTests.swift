import Foundation
import Testing
@testable import DataPlane
import Shared
import Rules

@Suite("EVE output")
struct EveTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000000+0000"),
        (1_700_000_000.25, "2023-11-14T22:13:20.250000+0000"),
        (951_782_400.000001, "2000-02-29T00:00:00.000001+0000"),
        (4_102_444_799.999999, "2099-12-31T23:59:59.999999+0000"),
        (-1.5, "1969-12-31T23:59:58.500000+0000"),
        (253_402_300_800.0, "10000-01-01T00:00:00.000000+0000"),
    ])
    func timestampsAsSuricataWritesThem(seconds: Double, expected: String) {
        #expect(EveFormat.timestamp(seconds) == expected)
    }

    @Test func timestampsAgreeWithFoundation() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        for _ in 0..<500 {
            let seconds = Double(Int.random(in: 0...4_000_000_000))
            #expect(EveFormat.timestamp(seconds).prefix(19) == formatter.string(from: Date(timeIntervalSince1970: seconds)))
        }
    }

    @Test func protocolNames() {
        #expect(EveFormat.protocolName(6) == "TCP")
        #expect(EveFormat.protocolName(17) == "UDP")
        #expect(EveFormat.protocolName(1) == "ICMP")
        #expect(EveFormat.protocolName(58) == "IPv6-ICMP")
        #expect(EveFormat.protocolName(47) == "47")
    }

    @Test func classtypeCategories() {
        #expect(Classification.category(for: "trojan-activity") == "A Network Trojan was detected")
        #expect(Classification.category(for: "policy-violation") == "Potential Corporate Privacy Violation")
        #expect(Classification.category(for: "my-own") == "my-own")
        #expect(Classification.category(for: nil) == "")
    }

    static let alertEvent = EveEvent(
        timestamp: "2023-11-14T22:13:20.250000+0000", flow_id: 42, event_type: "alert", src_ip: "198.18.0.10",
        src_port: 40000, dest_ip: "198.19.0.2", dest_port: 80, proto: "TCP",
        alert: EveAlert(action: "blocked", gid: 1, signature_id: 1001, rev: 2, signature: "GET /admin", category: "Misc activity", severity: 3)
    )

    @Test func lineIsOneJSONObjectWithSuricataFieldNames() throws {
        let line = EveWriter.line(for: Self.alertEvent)
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["event_type"] as? String == "alert")
        #expect(object["flow_id"] as? Int == 42)
        #expect(object["src_port"] as? Int == 40000)
        #expect(object["timestamp"] as? String == "2023-11-14T22:13:20.250000+0000")
        #expect(object["drop"] == nil)
        #expect(object["pcap_cnt"] == nil)
        let alert = try #require(object["alert"] as? [String: Any])
        #expect(alert["action"] as? String == "blocked")
        #expect(alert["signature_id"] as? Int == 1001)
        #expect(alert["signature"] as? String == "GET /admin")
        #expect(alert["category"] as? String == "Misc activity")
        #expect(alert["severity"] as? Int == 3)
        #expect(!line.contains("\\/"))
    }

    static let dropEvent = EveEvent(
        timestamp: "2023-11-14T22:13:20.250000+0000", flow_id: 7, event_type: "drop", src_ip: "2001:db8::1",
        src_port: 1, dest_ip: "2001:db8::2", dest_port: 2, proto: "TCP",
        drop: EveDrop(len: 60, ttl: 64, ipid: nil, tcpseq: 4_000_000_000, tcpack: 1, tcpwin: 512, flags: 0x12, reason: "flow drop")
    )

    @Test(arguments: [alertEvent, dropEvent])
    func lineDecodesBackToTheSameEvent(_ event: EveEvent) throws {
        let decoded = try JSONDecoder().decode(EveEvent.self, from: Data(EveJSON.line(event).utf8))
        #expect(decoded == event)
    }

    @Test func keysComeInSuricataOrder() {
        let line = EveJSON.line(Self.dropEvent)
        #expect(line.hasPrefix(#"{"timestamp":"2023-11-14T22:13:20.250000+0000","flow_id":7,"event_type":"drop","src_ip":"2001:db8::1","src_port":1,"dest_ip":"2001:db8::2","dest_port":2,"proto":"TCP","drop":{"len":60,"ttl":64,"tcpseq":4000000000,"#))
        #expect(line.hasSuffix(#""syn":true,"ack":true,"psh":false,"rst":false,"urg":false,"fin":false,"reason":"flow drop"}}"#))
    }

    @Test func stringsAreEscaped() throws {
        var event = Self.alertEvent
        event.alert?.signature = "quote \" back \\ slash / tab \t nl \n bell \u{07} é"
        let line = EveJSON.line(event)
        #expect(!line.contains("\n") && !line.contains("\t"))
        #expect(!line.contains("\u{07}"))
        #expect(line.contains(#"\u0007"#))
        #expect(line.contains("/ tab"))
        let decoded = try JSONDecoder().decode(EveEvent.self, from: Data(line.utf8))
        #expect(decoded.alert?.signature == event.alert?.signature)
    }

    @Test func escapesAtEitherEndOfAStringKeepTheTextBetween() throws {
        var event = Self.alertEvent
        event.alert?.signature = "\"€ plain run \u{1F}\u{2029}"
        let line = EveJSON.line(event)
        #expect(line.contains(#""signature":"\"€ plain run \u001f\u2029""#))
        let decoded = try JSONDecoder().decode(EveEvent.self, from: Data(line.utf8))
        #expect(decoded.alert?.signature == event.alert?.signature)
    }

    @Test func lineSeparatorsAreEscapedAndOtherMultibyteTextIsKept() throws {
        var event = Self.alertEvent
        event.alert?.signature = "a\u{2028}b\u{2029}c\u{2026}d\u{2100}é"
        let line = EveJSON.line(event)
        #expect(line.contains(#"a\u2028b\u2029c…d\#u{2100}é"#))
        let decoded = try JSONDecoder().decode(EveEvent.self, from: Data(line.utf8))
        #expect(decoded.alert?.signature == event.alert?.signature)
    }

    @Test func numbersAreWrittenInFull() throws {
        var event = Self.dropEvent
        for value: UInt64 in [0, 9, 10, 99, 100, 4_000_000_000, UInt64.max] {
            event.flow_id = value
            #expect(EveJSON.line(event).contains("\"flow_id\":\(value),"))
        }
    }

    @Test func writerAppendsWholeLinesAndFlushesOnTime() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("eve-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("existing\n".utf8).write(to: URL(fileURLWithPath: path))
        let writer = try EveWriter(path: path, flushInterval: 0.2)
        writer.flushIfDue(now: 10)
        writer.append([Self.alertEvent, Self.alertEvent])
        writer.flushIfDue(now: 10.1)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "existing\n", "not due yet")
        writer.flushIfDue(now: 10.25)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3].isEmpty)
        #expect(lines[1] == Substring(EveWriter.line(for: Self.alertEvent)))
        writer.close()
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.size] as? Int == 9 + 2 * (EveWriter.line(for: Self.alertEvent).utf8.count + 1))
    }

    @Test func newFileIsCreatedWithMode0640() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("eve-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try EveWriter(path: path)
        writer.append([Self.alertEvent])
        writer.close()
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let mode = try #require(attributes[.posixPermissions] as? Int)
        #expect(mode & ~0o022 == 0o640 & ~0o022) // the process umask may only remove bits
    }

    @Test func unopenableFileIsAnError() {
        #expect(throws: EveWriterError.self) {
            _ = try EveWriter(path: "/nonexistent-dir-\(UUID().uuidString)/eve.json")
        }
    }
}
