import Glibc
import HTTPTypes
import Foundation
import Logging
import Shared
import Testing

@testable import ControlPlane

/// A worker stand-in speaking the snapshot protocol over a blocking Unix socket.
final class FakeWorker {
    let descriptor: Int32
    private var decoder = FrameDecoder()

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Connects once the service listens, waiting with `Task.sleep` rather than blocking: the
    /// service binds on the same cooperative pool, which has one thread per core.
    static func connect(path: String) async throws -> FakeWorker {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            path.utf8CString.withUnsafeBytes { buffer.copyMemory(from: $0) }
        }
        for _ in 0..<500 {
            let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            if connected == 0 { return FakeWorker(descriptor: descriptor) }
            close(descriptor)
            try await Task.sleep(for: .milliseconds(20))
        }
        throw POSIXError(.ECONNREFUSED)
    }

    deinit { close(descriptor) }

    func send(_ message: WireMessage) throws {
        let bytes = try WireCodec.encode(message)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    /// The next message, waiting at most `timeout` seconds; sleeps between non-blocking polls so
    /// the service under test keeps the cooperative pool's threads.
    func receive(timeout: Double = 5) async throws -> WireMessage? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let message = try decoder.next() { return message }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 0) > 0 else {
                try await Task.sleep(for: .milliseconds(10))
                continue
            }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = read(descriptor, &buffer, buffer.count)
            if count <= 0 { return nil }
            decoder.append(buffer[0..<count])
        }
        return nil
    }
}

@Suite("Snapshot distribution")
struct DistributionTests {
    @Test func workerReceivesAcksAndGoesInSync() async throws {
        let harness = try APIHarness()
        let path = NSTemporaryDirectory() + "rampart-test-\(UUID().uuidString.prefix(8)).sock"
        let service = DistributionService(socketPath: path, registry: harness.services.registry, logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            try await harness.test { client in
                let created = try await client.createStatefulGroup("g", rules: "drop tcp any any -> any 8080 (sid:1;)")
                let groupArn = try #require(created.string("RuleGroupResponse.RuleGroupArn"))
                let policy = try await client.createPolicy("p", statefulArns: [groupArn])
                _ = try await client.post("/v1/firewalls", #"{"FirewallName": "fw", "FirewallPolicyArn": "\#(try #require(policy.string("FirewallPolicyResponse.FirewallPolicyArn")))"}"#)

                let worker = try await FakeWorker.connect(path: path)
                try worker.send(.hello(Hello(workerId: "w1", host: "test", pid: 42, firewallName: "fw", queue: 3, appliedVersion: nil, appliedDigest: nil)))
                guard case .snapshot(let first)? = try await worker.receive() else { Issue.record("no snapshot"); return }
                #expect(first.header.version == 1)
                #expect(try first.verifyDigest())
                #expect(try await client.get("/v1/firewalls/fw").string("FirewallStatus.ConfigurationSyncStateSummary") == "PENDING")
                try worker.send(.ack(Ack(version: first.header.version, digest: first.header.digest)))
                try await waitFor { try await client.get("/v1/firewalls/fw").string("FirewallStatus.ConfigurationSyncStateSummary") == "IN_SYNC" }
                let workers = try await client.get("/v1/workers")
                #expect(workers.string("Workers.0.WorkerId") == "w1")
                #expect(workers.value("Workers.0.Queue") as? Int == 3)
                #expect(workers.string("Workers.0.AppliedDigest") == first.header.digest)

                let token = try #require(try await client.get("/v1/rule-groups/stateful/g").string("UpdateToken"))
                let updated = try await client.put("/v1/rule-groups/stateful/g", #"{"UpdateToken": "\#(token)", "Rules": "reject tcp any any -> any 8080 (sid:1;)"}"#)
                #expect(updated.status == 200, "\(updated.text)")
                let start = Date()
                guard case .snapshot(let second)? = try await worker.receive() else { Issue.record("no second snapshot"); return }
                #expect(Date().timeIntervalSince(start) < 1)
                #expect(second.header.version == 2)
                #expect(try await client.get("/v1/firewalls/fw").string("FirewallStatus.ConfigurationSyncStateSummary") == "PENDING")
                try worker.send(.nack(Nack(version: 2, digest: second.header.digest, reason: "compile failed: test")))
                try await waitFor { try await client.get("/v1/workers").string("Workers.0.LastNackReason") == "compile failed: test" }
                #expect(try await client.get("/v1/firewalls/fw").string("FirewallStatus.ConfigurationSyncStateSummary") == "PENDING")
            }
            group.cancelAll()
        }
    }

    @Test func firstFrameMustBeHello() async throws {
        let harness = try APIHarness()
        let path = NSTemporaryDirectory() + "rampart-test-\(UUID().uuidString.prefix(8)).sock"
        let service = DistributionService(socketPath: path, registry: harness.services.registry, logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            let worker = try await FakeWorker.connect(path: path)
            try worker.send(.heartbeat(Heartbeat(sentAt: 0)))
            #expect(try await worker.receive(timeout: 2) == nil)
            #expect(await harness.services.registry.summaries().isEmpty)
            let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(permissions == 0o600)
            group.cancelAll()
        }
    }

    private func waitFor(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<50 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("condition not met within 1 s")
    }
}
