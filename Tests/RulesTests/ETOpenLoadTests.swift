import Foundation
import Rules
import Shared
import Testing

/// Loads the Emerging Threats Open ruleset: every enabled rule is either loaded (parsed and compiled into
/// the engine) or refused with a named reason; the loaded fraction is reported and must stay ≥ 60%.
@Suite("ET Open load")
struct ETOpenLoadTests {
    /// `../shared/rulesets/et-open` next to the repository.
    static let folder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/rulesets/et-open")

    /// The address and port groups of Suricata's default configuration, as a rule group would define them
    /// in `RuleVariables` to run this ruleset.
    static let variables: VariableScope = {
        let servers = ["HTTP_SERVERS", "SMTP_SERVERS", "SQL_SERVERS", "DNS_SERVERS", "TELNET_SERVERS", "AIM_SERVERS",
                       "DC_SERVERS", "DNP3_SERVER", "DNP3_CLIENT", "MODBUS_CLIENT", "MODBUS_SERVER", "ENIP_CLIENT", "ENIP_SERVER"]
        var addresses: [String: IPSet] = [:]
        for name in servers { addresses[name] = IPSet(Definition: ["$HOME_NET"]) }
        let ports: [String: [String]] = [
            "HTTP_PORTS": ["80"], "SHELLCODE_PORTS": ["!80"], "ORACLE_PORTS": ["1521"], "SSH_PORTS": ["22"],
            "DNP3_PORTS": ["20000"], "MODBUS_PORTS": ["502"], "FILE_DATA_PORTS": ["$HTTP_PORTS", "110", "143"],
            "FTP_PORTS": ["21"], "GENEVE_PORTS": ["6081"], "VXLAN_PORTS": ["4789"], "TEREDO_PORTS": ["3544"],
        ]
        return try! VariableScope.make(
            group: RuleVariables(IPSets: addresses, PortSets: ports.mapValues { PortSet(Definition: $0) }), policy: nil
        )
    }()

    @Test func loadsAtLeastSixtyPercentAndNamesEveryRefusal() throws {
        let environment = ProcessInfo.processInfo.environment
        let files = (try? FileManager.default.contentsOfDirectory(atPath: Self.folder.path))?
            .filter { $0.hasSuffix(".rules") }.sorted() ?? []
        if files.isEmpty {
            #expect(environment["CI"] != "true", "the ET Open ruleset is missing at \(Self.folder.path)")
            return
        }
        var total = 0
        var loaded: [Rule] = []
        var reasons: [String: Int] = [:]
        for file in files {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
                total += 1
                do throws(RuleError) {
                    loaded.append(try RulesParser.parseRule(String(line), line: number + 1, variables: Self.variables))
                } catch {
                    #expect(!error.message.isEmpty && error.column > 0, "\(file):\(number + 1) refused without a position: \(error)")
                    reasons[Self.reasonKey(error.message), default: 0] += 1
                }
            }
        }
        // Everything that parsed also compiles into one engine.
        let engine = try StatefulEngine(rules: loaded, ruleOrder: .DEFAULT_ACTION_ORDER)
        #expect(engine.ruleCount == loaded.count)

        let fraction = Double(loaded.count) / Double(total)
        let top = reasons.sorted { $0.value > $1.value }.prefix(15).map { "  \($0.value) \($0.key)" }.joined(separator: "\n")
        print("ET Open: loaded \(loaded.count) of \(total) rules (\(String(format: "%.1f", fraction * 100))%); refusals:\n\(top)")
        #expect(total > 20000)
        #expect(fraction >= 0.60)
    }

    /// The refusal's message with quoted values generalised, to group refusals by reason.
    static func reasonKey(_ message: String) -> String {
        if let range = message.range(of: "keyword '") {
            let rest = message[range.upperBound...]
            if let end = rest.firstIndex(of: "'") { return "keyword '\(rest[..<end])' " + (message.contains("AWS") ? "(AWS)" : "(Rampart)") }
        }
        return String(message.prefix(60))
    }
}
