import Foundation
import Shared
import Rules

/// Why a replay could not run.
public struct ReplayError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// What a replay did.
public struct ReplaySummary: Sendable, Hashable {
    public var packets = 0
    public var decodeErrors = 0
    public var badChecksums = 0
    public var unsupportedLinkLayer = 0
    public var alerts = 0
    public var drops = 0
    public var rulesLoaded = 0
    public var rulesRefused = 0
}

/// `rampart-worker replay`: runs a capture through exactly the packet path the live worker uses
/// (`PacketProcessor` with the compiled snapshot), in packet order, with the capture's clock, and writes
/// EVE JSON lines — the events of each packet stamped with its 1-based `pcap_cnt`, then the events of what
/// the flows still hold at the end, then one `flow` event per flow. Without `ips` the stream engine runs in
/// IDS mode, as Suricata reads a capture: stream data is inspected once acknowledged.
public struct ReplayRunner {
    public let settings: ReplaySettings
    /// Where refused rules and other notes go.
    let report: (String) -> Void

    public init(settings: ReplaySettings, report: @escaping (String) -> Void) {
        self.settings = settings
        self.report = report
    }

    public func run() throws(ReplayError) -> ReplaySummary {
        var summary = ReplaySummary()
        let snapshot = try loadSnapshot(&summary)
        let reader: CaptureReader
        do {
            reader = try CaptureReader(path: settings.capturePath)
        } catch {
            throw ReplayError(error.description)
        }
        let output = try EveOutput(path: settings.evePath)
        defer { output.close() }

        var configuration = PacketProcessorConfiguration(
            failOpen: false, dropMalformed: false, flowDropEventsPerFlow: Int.max,
            flowTable: FlowTableConfiguration(maximumFlows: 1 << 20, asyncOneSide: settings.asyncOneSide), enforce: settings.ips,
            midstream: settings.midstream
        )
        configuration.packetSource = "wire/pcap"
        configuration.midstreamPolicy = settings.midstreamPolicy ?? (settings.ips && !settings.midstream ? .dropFlow : .ignore)
        configuration.inlineStream = settings.streamInline ?? settings.ips
        configuration.urgentPolicy = settings.urgentPolicy
        configuration.tlsEncryptionHandling = settings.tlsEncryptionHandling
        var processor = PacketProcessor(configuration: configuration)
        var events: [EveEvent] = []
        var lastTime = 0.0
        for entry in reader {
            let captured: CapturedPacket
            switch entry {
            case .success(let packet): captured = packet
            case .failure(let error):
                report("capture: \(error.description); stopping after \(summary.packets) packets")
                return finish(&processor, snapshot: snapshot, output: output, summary: summary, now: lastTime)
            }
            summary.packets += 1
            lastTime = captured.timestamp
            guard let ip = LinkLayer.ipPacket(captured.data, linkType: captured.linkType) else {
                summary.unsupportedLinkLayer += 1
                continue
            }
            // As Suricata's stream engine does, TCP segments with a wrong checksum are ignored; other
            // protocols are inspected whatever their checksum.
            let valid = !settings.validateChecksums || !ReplayRunner.isTCP(ip) || Checksum.valid(ipPacket: ip)
            if !valid {
                summary.badChecksums += 1
                continue
            }
            events.removeAll(keepingCapacity: true)
            let verdict = ip.withUnsafeBytes { bytes in
                processor.process(bytes: bytes, snapshot: snapshot, now: captured.timestamp, wallClock: captured.timestamp, events: &events)
            }
            if verdict == .drop || verdict == .dropFlow || verdict == .reject { summary.drops += 1 }
            for index in events.indices {
                events[index].pcap_cnt = UInt64(summary.packets)
                if events[index].event_type == "alert" { summary.alerts += 1 }
            }
            output.write(events)
        }
        return finish(&processor, snapshot: snapshot, output: output, summary: summary, now: lastTime)
    }

    /// Whether an IP packet carries TCP (IPv4 protocol field or IPv6 next header without extensions).
    static func isTCP(_ ip: ArraySlice<UInt8>) -> Bool {
        guard let first = ip.first else { return false }
        switch first >> 4 {
        case 4: return ip.count > 9 && ip[ip.startIndex + 9] == 6
        case 6: return ip.count > 6 && ip[ip.startIndex + 6] == 6
        default: return false
        }
    }

    /// The end of the capture: what the flows still hold is inspected (events without `pcap_cnt`), then one
    /// `flow` event per flow.
    private func finish(
        _ processor: inout PacketProcessor, snapshot: CompiledSnapshot, output: EveOutput, summary: ReplaySummary, now: Double
    ) -> ReplaySummary {
        var summary = summary
        let remaining = processor.finishFlows(snapshot: snapshot, wallClock: now)
        summary.alerts += remaining.count { $0.event_type == "alert" }
        output.write(remaining)
        output.write(processor.flowEvents(now: now, reason: "shutdown"))
        summary.decodeErrors = Int(processor.currentCounters.decodeErrors)
        return summary
    }

    /// The snapshot to enforce: the file as given, or a rules file wrapped in a stateful-only snapshot
    /// (rules that cannot be loaded are reported and skipped, as Suricata does).
    private func loadSnapshot(_ summary: inout ReplaySummary) throws(ReplayError) -> CompiledSnapshot {
        switch settings.rules {
        case .snapshotFile(let path):
            guard let data = FileManager.default.contents(atPath: path) else { throw ReplayError("cannot read snapshot \(path)") }
            let snapshot: Snapshot
            do {
                snapshot = try JSONDecoder().decode(Snapshot.self, from: data)
            } catch {
                throw ReplayError("snapshot \(path) is not a Rampart snapshot: \(error)")
            }
            let order = try actionOrder()
            do {
                let compiled = try CompiledSnapshot(snapshot, actionOrder: order)
                summary.rulesLoaded = compiled.stateful.ruleCount
                return compiled
            } catch {
                throw ReplayError(error.description)
            }
        case .rulesFile(let path):
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw ReplayError("cannot read rules file \(path)")
            }
            let loaded = RuleFileLoader.load(text)
            for failure in loaded.refused {
                report("rule refused: \(failure)")
            }
            summary.rulesLoaded = loaded.rules.count
            summary.rulesRefused = loaded.refused.count
            let order = try actionOrder()
            do {
                return try CompiledSnapshot(rules: loaded.rules, actionOrder: order)
            } catch {
                throw ReplayError(error.description)
            }
        }
    }

    private func actionOrder() throws(ReplayError) -> [RuleAction] {
        var order: [RuleAction] = []
        for name in settings.actionOrder {
            guard let action = RuleAction(rawValue: name.lowercased()), !order.contains(action) else {
                throw ReplayError("invalid --action-order '\(settings.actionOrder.joined(separator: ","))' (a permutation of pass,drop,reject,alert)")
            }
            order.append(action)
        }
        guard order.count == 4 else {
            throw ReplayError("invalid --action-order '\(settings.actionOrder.joined(separator: ","))' (a permutation of pass,drop,reject,alert)")
        }
        return order
    }
}

/// EVE lines to a file (truncated first) or standard output.
final class EveOutput {
    private let handle: FileHandle

    init(path: String?) throws(ReplayError) {
        guard let path else {
            handle = FileHandle.standardOutput
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ReplayError("cannot write EVE file \(path)")
        }
        self.handle = handle
    }

    func write(_ events: [EveEvent]) {
        guard !events.isEmpty else { return }
        var text = ""
        for event in events {
            text += EveJSON.line(event)
            text += "\n"
        }
        handle.write(Data(text.utf8))
    }

    func close() {
        if handle !== FileHandle.standardOutput { try? handle.close() }
    }
}
