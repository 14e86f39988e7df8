import Foundation
import Shared

/// Puts flows the kernel was told to accept on its own (connmark ``PacketMarks/acceptFlow``) back in front
/// of the workers when the TLS inspection scopes change: a TCP connection offloaded before a scope applied
/// would otherwise never reach the packet path again, and the rule "flows established before a TLS scope
/// applied are dropped" could not hold. Deleting their conntrack entries does it: the next packet of each
/// creates a fresh entry without the mark and is queued; the flow table still knows the flow.
public enum OffloadedFlowReset {
    /// The `conntrack` arguments that delete the offloaded TCP entries.
    public static let arguments = ["-D", "-p", "tcp", "--mark", markSpec]

    static var markSpec: String {
        let hex = { (value: UInt32) in "0x" + String(value, radix: 16) }
        return "\(hex(PacketMarks.acceptFlow))/\(hex(PacketMarks.acceptFlow))"
    }

    /// Whether going from `previous` to `current` changes what is decrypted.
    public static func scopesChanged(from previous: CompiledSnapshot?, to current: CompiledSnapshot) -> Bool {
        previous?.tlsInspection.scopes != current.tlsInspection.scopes
    }

    /// Runs `conntrack -D -p tcp --mark …` and logs what happened.
    public static func run(log: WorkerLog) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/conntrack")
        process.arguments = arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do {
            try process.run()
        } catch {
            log("error: cannot run conntrack to re-queue offloaded flows: \(error)")
            return
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        log(outcome(status: process.terminationStatus, message: message))
    }

    /// The log line for conntrack's exit status and standard error. conntrack reports the entries it deleted
    /// ("3 flow entries have been deleted.", exit 1 when that is 0) or fails with "such conntrack doesn't
    /// exist" when none matched; both only mean that no flow was offloaded.
    static func outcome(status: Int32, message: String) -> String {
        let prefix = "TLS inspection scopes changed:"
        let last = message.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        if last.contains("such conntrack doesn't exist") { return "\(prefix) no offloaded TCP flow to re-queue" }
        let words = last.split(separator: " ")
        if last.contains("have been deleted"), let index = words.firstIndex(of: "flow"), index > 0,
           let count = Int(words[index - 1]) {
            if count == 0 { return "\(prefix) no offloaded TCP flow to re-queue" }
            return "\(prefix) \(count) offloaded TCP flow\(count == 1 ? "" : "s") re-queued"
        }
        if status == 0 { return "\(prefix) offloaded TCP flows re-queued" }
        return "error: \(prefix) conntrack could not re-queue offloaded TCP flows (exit \(status)): \(last)"
    }
}
