import Foundation

/// Why `rampart lab up` or `down` failed, with what the user needs to act on it: the command line
/// that failed and what it printed on stderr, or the worker log that explains an early exit.
public struct LabError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure (extensible, so new kinds do not break callers that switch on it).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A flag's value is unusable (prefix, worker count, path).
        public static let invalidArgument = Code("invalidArgument")
        /// The lab needs root (network namespaces, iptables).
        public static let notPermitted = Code("notPermitted")
        /// A command could not be started or exited with a non-zero status.
        public static let commandFailed = Code("commandFailed")
        /// A worker exited right after it was started.
        public static let workerExited = Code("workerExited")
        /// A file of the run directory could not be read or written.
        public static let fileSystem = Code("fileSystem")

        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, for a human.
    public var message: String
    /// The command that failed, as one shell-quoted line.
    public var commandLine: String?
    /// The failed command's exit status.
    public var status: Int32?
    /// What the failed command printed on stderr (or a worker's log tail).
    public var output: String?

    public init(code: Code, message: String, commandLine: String? = nil, status: Int32? = nil, output: String? = nil) {
        self.code = code
        self.message = message
        self.commandLine = commandLine
        self.status = status
        self.output = output
    }

    public var description: String {
        var text = message
        if let commandLine { text += "\n  command: \(commandLine)" }
        if let status { text += "\n  exit status: \(status)" }
        if let output {
            let trimmed = output.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty {
                text += "\n  output:\n    " + trimmed.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n    ")
            }
        }
        return text
    }
}
