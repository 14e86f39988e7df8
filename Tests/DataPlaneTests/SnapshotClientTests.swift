import Foundation
import Glibc
import Testing
@testable import DataPlane
import Shared

/// A client wired to a test server, with its cache in a temporary directory.
final class ClientHarness {
    let server: TestControlServer
    let directory: String
    let active = ActiveSnapshot()
    let cache: SnapshotCache
    let client: SnapshotClient

    init(firewall: String = "fw", statsInterval: Double = 5) throws {
        server = try TestControlServer()
        directory = try temporaryDirectory()
        cache = SnapshotCache(path: SnapshotCache.path(directory: directory, firewallName: firewall, queue: 3))
        client = SnapshotClient(
            configuration: SnapshotClientConfiguration(
                controlPath: server.path, firewallName: firewall, queue: 3, host: "testhost", pid: 4242,
                heartbeatInterval: 0.2, statsInterval: statsInterval, initialBackoff: 0.05, maximumBackoff: 0.2
            ),
            active: active, cache: cache, counters: { ["packets": 11, "customAction.dns": 2] }, log: .discard
        )
    }

    deinit {
        client.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts the client and returns the session after its hello.
    func connect() throws -> (TestConnection, Hello) {
        client.start()
        let connection = try server.accept()
        guard case .hello(let hello) = try connection.receive() else { throw TestSocketError(description: "first frame is not hello") }
        return (connection, hello)
    }
}

@Suite("Snapshot client", .serialized)
struct SnapshotClientTests {
    @Test func helloThenSnapshotIsAppliedAckedAndCached() throws {
        let harness = try ClientHarness()
        let (connection, hello) = try harness.connect()
        #expect(hello.workerId == "testhost-q3-4242")
        #expect(hello.host == "testhost" && hello.pid == 4242 && hello.queue == 3 && hello.firewallName == "fw")
        #expect(hello.appliedVersion == nil && hello.appliedDigest == nil)
        #expect(hello.protocolVersion == 1)

        let snapshot = Fixtures.snapshot(version: 5)
        try connection.send(.snapshot(snapshot))
        #expect(try connection.receive() == .ack(Ack(version: 5, digest: snapshot.header.digest)))
        #expect(harness.active.current?.header == snapshot.header)
        #expect(try harness.cache.load() == snapshot)
    }

    @Test func badDigestIsNackedAndTheOldSnapshotStays() throws {
        let harness = try ClientHarness()
        let (connection, _) = try harness.connect()
        let good = Fixtures.snapshot(version: 1)
        try connection.send(.snapshot(good))
        _ = try connection.receive()

        var torn = Fixtures.snapshot(version: 2, stateless: Fixtures.stateless(defaultActions: ["aws:drop"]))
        torn.header.digest = good.header.digest.replacingOccurrences(of: "a", with: "b") + "0"
        try connection.send(.snapshot(torn))
        guard case .nack(let nack) = try connection.receive() else {
            Issue.record("expected a nack")
            return
        }
        #expect(nack.version == 2 && nack.digest == torn.header.digest)
        #expect(nack.reason.contains("DigestMismatch"))
        #expect(harness.active.current?.header == good.header)
        #expect(try harness.cache.load() == good)
    }

    @Test func badStatelessRuleIsNackedWithTheReason() throws {
        let harness = try ClientHarness()
        let (connection, _) = try harness.connect()
        let good = Fixtures.snapshot(version: 1)
        try connection.send(.snapshot(good))
        _ = try connection.receive()

        let bad = Fixtures.snapshot(version: 2, stateless: Fixtures.stateless([[Fixtures.rule(7, ["aws:pass", "NoSuchAction"])]]))
        try connection.send(.snapshot(bad))
        guard case .nack(let nack) = try connection.receive() else {
            Issue.record("expected a nack")
            return
        }
        #expect(nack.version == 2)
        #expect(nack.reason.contains("NoSuchAction") && nack.reason.contains("priority 7"))
        #expect(harness.active.current?.header == good.header)
    }

    @Test func badStatefulRuleIsNackedWithTheReason() throws {
        let harness = try ClientHarness()
        let (connection, _) = try harness.connect()
        let good = Fixtures.snapshot(version: 1)
        try connection.send(.snapshot(good))
        _ = try connection.receive()

        let bad = Fixtures.snapshot(version: 2, stateful: Fixtures.stateful([
            #"drop tcp any any -> any any (msg:"bad"; no_such_keyword; sid:9;)"#,
        ]))
        try connection.send(.snapshot(bad))
        guard case .nack(let nack) = try connection.receive() else {
            Issue.record("expected a nack")
            return
        }
        #expect(nack.version == 2 && nack.reason.contains("StatefulRules"))
        #expect(nack.reason.contains("no_such_keyword"))
        #expect(harness.active.current?.header == good.header)
    }

    @Test func snapshotForAnotherFirewallIsNacked() throws {
        let harness = try ClientHarness(firewall: "edge")
        let (connection, _) = try harness.connect()
        try connection.send(.snapshot(Fixtures.snapshot(version: 1, firewall: "core")))
        guard case .nack(let nack) = try connection.receive() else {
            Issue.record("expected a nack")
            return
        }
        #expect(nack.reason.contains("core"))
        #expect(harness.active.current == nil)
    }

    @Test func activeDigestIsAckedWithoutRecompiling() throws {
        let harness = try ClientHarness()
        let (connection, _) = try harness.connect()
        let snapshot = Fixtures.snapshot(version: 1)
        try connection.send(.snapshot(snapshot))
        _ = try connection.receive()
        let first = try #require(harness.active.current)
        try connection.send(.snapshot(snapshot))
        #expect(try connection.receive() == .ack(Ack(version: 1, digest: snapshot.header.digest)))
        #expect(harness.active.current === first)
    }

    @Test func heartbeatsAndStatsAreSent() throws {
        let harness = try ClientHarness(statsInterval: 0.2)
        let (connection, _) = try harness.connect()
        var sawHeartbeat = false
        var stats: Stats?
        let deadline = Clocks.monotonic() + 5
        while (!sawHeartbeat || stats == nil), Clocks.monotonic() < deadline {
            switch try connection.receive(timeout: 5, skippingPeriodic: false) {
            case .heartbeat: sawHeartbeat = true
            case .stats(let value): stats = value
            default: break
            }
        }
        #expect(sawHeartbeat)
        #expect(stats?.counters["packets"] == 11)
        #expect(stats?.counters["customAction.dns"] == 2)
    }

    @Test func reconnectsAndReportsWhatItRuns() throws {
        let harness = try ClientHarness()
        let (connection, _) = try harness.connect()
        let snapshot = Fixtures.snapshot(version: 9)
        try connection.send(.snapshot(snapshot))
        _ = try connection.receive()
        connection.close()

        let again = try harness.server.accept(timeout: 5)
        guard case .hello(let hello) = try again.receive() else {
            Issue.record("expected hello after reconnecting")
            return
        }
        #expect(hello.appliedVersion == 9 && hello.appliedDigest == snapshot.header.digest)
        #expect(harness.client.isConnected)
    }

    @Test func keepsRetryingUntilTheServerAppears() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "/tmp/rampart-dp-late-\(UUID().uuidString.prefix(8)).sock"
        let client = SnapshotClient(
            configuration: SnapshotClientConfiguration(
                controlPath: path, firewallName: "fw", queue: 0, host: "h", pid: 1, initialBackoff: 0.05, maximumBackoff: 0.1
            ),
            active: ActiveSnapshot(), cache: nil, counters: { [:] }, log: .discard
        )
        client.start()
        defer { client.stop() }
        usleep(300_000)
        #expect(!client.isConnected)
        // Bind the server at the path the client is retrying.
        let server = try TestControlServer(path: path)
        let connection = try server.accept(timeout: 5)
        guard case .hello = try connection.receive() else {
            Issue.record("expected hello")
            return
        }
    }

    @Test func stopIsPrompt() throws {
        let harness = try ClientHarness()
        _ = try harness.connect()
        let start = Clocks.monotonic()
        harness.client.stop()
        #expect(Clocks.monotonic() - start < 2)
        #expect(!harness.client.isConnected)
    }
}
