import Foundation
import Glibc
import NIOCore
import NIOPosix
import Testing
@testable import DataPlane

/// The checker over HTTP against a real `openssl ocsp` responder on 127.0.0.1, for leaves issued now by
/// the fixture EC CA with their AIA and CDP on the responder's port.
@Suite("Revocation: live openssl OCSP responder")
struct RevocationResponderTests {
    @Test("good and revoked through HTTPRevocationFetcher; a stopped responder gives unknown")
    func liveResponder() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-ocsp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try await Self.freePort(group)
        let base = "http://127.0.0.1:\(port)"
        let fixtures = RevocationFixtures.directory.path

        try """
        [leaf]
        basicConstraints = CA:FALSE
        authorityInfoAccess = OCSP;URI:\(base)/
        crlDistributionPoints = URI:\(base)/ec-ca.crl
        """.write(to: directory.appendingPathComponent("leaf.cnf"), atomically: true, encoding: .utf8)
        for (name, serial) in [("live-good", "5001"), ("live-revoked", "5002")] {
            try Self.openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                              "-keyout", "\(name).key", "-subj", "/CN=\(name)", "-out", "\(name).csr"], in: directory)
            try Self.openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "\(fixtures)/ec-ca.pem",
                              "-CAkey", "\(fixtures)/ec-ca.key", "-set_serial", "0x\(serial)", "-days", "30",
                              "-extfile", "leaf.cnf", "-extensions", "leaf", "-out", "\(name).pem"], in: directory)
        }
        // The CA database `openssl ocsp -index` reads: status, expiry, revocation, serial, file, subject.
        try """
        V\t491231235959Z\t\t5001\tunknown\t/CN=live-good
        R\t491231235959Z\t260101000000Z,keyCompromise\t5002\tunknown\t/CN=live-revoked

        """.write(to: directory.appendingPathComponent("index.txt"), atomically: true, encoding: .utf8)

        let log = directory.appendingPathComponent("responder.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let responder = Process()
        responder.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        responder.arguments = ["ocsp", "-index", "index.txt", "-port", String(port), "-rsigner", "\(fixtures)/ec-ocsp.pem",
                               "-rkey", "\(fixtures)/ec-ocsp.key", "-CA", "\(fixtures)/ec-ca.pem", "-nmin", "5"]
        responder.currentDirectoryURL = directory
        let output = try FileHandle(forWritingTo: log)
        responder.standardOutput = output
        responder.standardError = output
        try responder.run()
        let pid = responder.processIdentifier
        var stopped = false
        defer {
            if !stopped { kill(pid, SIGKILL); responder.waitUntilExit() }
            try? output.close()
        }
        try await Self.waitForListening(log: log, process: responder)

        let ca = try RevocationFixtures.certificate("ec-ca")
        let good = try RevocationFixtures.certificate(file: directory.appendingPathComponent("live-good.pem"))
        let revoked = try RevocationFixtures.certificate(file: directory.appendingPathComponent("live-revoked.pem"))
        let fetcher = HTTPRevocationFetcher(group: group, timeout: .seconds(3))
        let checker = RevocationChecker(fetcher: fetcher)

        let goodResult = await checker.check(good, issuer: ca)
        #expect(goodResult == RevocationResult(status: .good, source: "ocsp", reason: "OCSP responder \(base)/: good"),
                "\(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self))")
        let revokedResult = await checker.check(revoked, issuer: ca)
        #expect(revokedResult.status == .revoked)
        #expect(revokedResult.reason == "OCSP responder \(base)/: revoked (keyCompromise) at 2026-01-01T00:00:00.000000+0000")

        kill(pid, SIGKILL)
        responder.waitUntilExit()
        stopped = true
        let afterStop = await RevocationChecker(fetcher: fetcher).check(good, issuer: ca)
        #expect(afterStop.status == .unknown)
        #expect(afterStop.source == "none")
        // Usually "connection refused"; the errno is not pinned in case a parallel test binds the freed port.
        #expect(afterStop.reason.hasPrefix("OCSP responder \(base)/ unreachable: "), "\(afterStop.reason)")
        #expect(afterStop.reason.contains("; CRL \(base)/ec-ca.crl unreachable: "), "\(afterStop.reason)")
        try await group.shutdownGracefully()
    }

    /// A port nothing listens on now: bound on 127.0.0.1 by the kernel's choice, then released.
    static func freePort(_ group: any EventLoopGroup) async throws -> Int {
        let channel = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }

    /// Runs `openssl arguments` in `directory`; throws with its output when it fails.
    static func openssl(_ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RevocationTestError("openssl \(arguments.joined(separator: " ")): \(String(decoding: message, as: UTF8.self))")
        }
    }

    /// Waits (up to 10 s) until the responder prints that it accepts connections.
    static func waitForListening(log: URL, process: Process) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let text = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
            if text.contains("ACCEPT") { return }
            guard process.isRunning else { throw RevocationTestError("openssl ocsp exited: \(text)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RevocationTestError("openssl ocsp did not listen within 10 s")
    }
}
