import Foundation
import Glibc
import Testing

/// Where the binaries are, and whether this machine can run the lab.
///
/// The end-to-end tests run the real `rampart` and `rampart-worker` from `RAMPART_BIN_DIR`
/// (default `<repo>/.build/debug`). The lab needs root and network namespaces: without them the
/// lab tests are skipped, except under `CI=true`, where they run and fail (DESIGN §8: under CI
/// the end-to-end tests run or fail, never skip).
enum E2EEnvironment {
    /// The repository, found from this file's path (`<repo>/Tests/EndToEndTests/Harness/…`).
    static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Harness
        .deletingLastPathComponent()  // EndToEndTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent().path

    /// `RAMPART_BIN_DIR`, else `<repo>/.build/debug`.
    static let binaryDirectory: String = {
        if let directory = ProcessInfo.processInfo.environment["RAMPART_BIN_DIR"], !directory.isEmpty {
            return URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: repositoryRoot, isDirectory: true)).standardizedFileURL.path
        }
        return repositoryRoot + "/.build/debug"
    }()

    /// The control plane executable.
    static var rampart: String { binaryDirectory + "/rampart" }
    /// The worker executable.
    static var worker: String { binaryDirectory + "/rampart-worker" }

    /// Whether we run under CI (`CI=true`), where nothing may be skipped.
    static let isCI = ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true"

    /// Why the lab cannot run here, or `nil` when it can.
    static let labUnavailableReason: String? = {
        guard geteuid() == 0 else { return "the lab needs root (network namespaces, iptables)" }
        let probe = Subprocess.runBlocking(["ip", "netns", "list"], timeout: .seconds(10))
        guard probe.status == 0 else { return "`ip netns list` fails: \(probe.summary)" }
        return nil
    }()

    /// The condition of every suite that needs the lab: true when it can run, and under CI always
    /// (so that ``requireLab()`` fails the test instead of letting it be skipped).
    static var labTestsEnabled: Bool { labUnavailableReason == nil || isCI }

    /// Fails the test (it is never skipped under CI) when the lab cannot run here.
    static func requireLab() throws {
        if let reason = labUnavailableReason {
            throw E2EFailure("end-to-end test cannot run under CI=true: \(reason)")
        }
    }

    /// Fails the test when the binaries under test are missing.
    static func requireBinaries() throws {
        for binary in [rampart, worker] where access(binary, X_OK) != 0 {
            throw E2EFailure("\(binary) is missing or not executable: build with `swift build` or set RAMPART_BIN_DIR")
        }
    }
}

/// A failed precondition or step of an end-to-end test, with what the user needs to see.
struct E2EFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
