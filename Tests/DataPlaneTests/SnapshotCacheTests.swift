import Foundation
import Testing
@testable import DataPlane
import Shared

func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-dp-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite("Snapshot cache")
struct SnapshotCacheTests {
    @Test func roundTrip() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = SnapshotCache(path: SnapshotCache.path(directory: directory, firewallName: "edge", queue: 2))
        #expect(cache.path == directory + "/snapshot-edge-q2.json")
        #expect(try cache.load() == nil)
        let snapshot = Fixtures.snapshot(version: 7, firewall: "edge", stateless: Fixtures.stateless(
            [[Fixtures.rule(1, ["aws:drop"], sources: ["192.0.2.0/24"])]]
        ))
        try cache.store(snapshot)
        #expect(try cache.load() == snapshot)
        let attributes = try FileManager.default.attributesOfItem(atPath: cache.path)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        // Replacing leaves no temporary files behind.
        try cache.store(Fixtures.snapshot(version: 8, firewall: "edge"))
        #expect(try cache.load()?.header.version == 8)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["snapshot-edge-q2.json"])
    }

    @Test func alteredBodyIsRefused() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = SnapshotCache(path: directory + "/s.json")
        try cache.store(Fixtures.snapshot(stateless: Fixtures.stateless([[Fixtures.rule(1, ["aws:drop"], sources: ["192.0.2.0/24"])]])))
        var text = try String(contentsOfFile: cache.path, encoding: .utf8)
        text = text.replacingOccurrences(of: "192.0.2.0/24", with: "192.0.3.0/24")
        try text.write(toFile: cache.path, atomically: false, encoding: .utf8)
        #expect {
            _ = try cache.load()
        } throws: { error in
            (error as? SnapshotCacheError)?.code == "DigestMismatch"
        }
    }

    @Test func garbageIsRefused() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = SnapshotCache(path: directory + "/s.json")
        try Data("{\"header\": 1".utf8).write(to: URL(fileURLWithPath: cache.path))
        #expect {
            _ = try cache.load()
        } throws: { error in
            (error as? SnapshotCacheError)?.code == "Decode"
        }
    }

    @Test func workerEnforcesTheCachedSnapshotAtStart() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = SnapshotCache(path: directory + "/s.json")
        let active = ActiveSnapshot()
        WorkerService.enforceCachedSnapshot(cache, into: active, log: .discard)
        #expect(active.current == nil)
        let snapshot = Fixtures.snapshot(version: 12)
        try cache.store(snapshot)
        WorkerService.enforceCachedSnapshot(cache, into: active, log: .discard)
        #expect(active.current?.header == snapshot.header)
    }

    @Test func workerConfigurationPaths() {
        let configuration = WorkerConfiguration(queue: 3, controlPath: "/run/rampart.sock", firewallName: "edge", stateDirectory: "/var/lib/x")
        #expect(configuration.cachePath == "/var/lib/x/snapshot-edge-q3.json")
        #expect(configuration.evePath == "/var/lib/x/eve.json")
        #expect(!configuration.failOpen && configuration.maximumFlows == 65536)
    }
}
