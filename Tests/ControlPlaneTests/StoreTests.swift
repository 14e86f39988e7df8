import Foundation
import GRDB
import Testing

@testable import ControlPlane

@Suite("Store and state directory")
struct StoreTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let migrations = APIHarness.repository.appendingPathComponent("migrations")

    @Test func databaseIsWALAndMigratedOnce() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("rampart.db").path
        let store = try ResourceStore(path: path, migrations: Self.migrations)
        let mode = try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let applied = try store.read { db in try String.fetchAll(db, sql: "SELECT name FROM schema_migrations ORDER BY name") }
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.migrations.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(applied == files)
        _ = try ResourceStore(path: path, migrations: Self.migrations)
    }

    @Test func refusesADatabaseFromANewerBuild() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("rampart.db").path
        let store = try ResourceStore(path: path, migrations: Self.migrations)
        try store.write { db in try db.execute(sql: "INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future.sql', 0)") }
        #expect(throws: StoreError.self) { try ResourceStore(path: path, migrations: Self.migrations) }
    }

    @Test func secretsAreCreatedOwnerOnlyAndReused() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let token = try AdminToken.load(stateDirectory: directory)
        #expect(token.value.count == 64)
        #expect(try AdminToken.load(stateDirectory: directory).value == token.value)
        for name in ["admin.token", "master.key"] {
            if name == "master.key" { _ = try KeyVault.load(stateDirectory: directory, environment: [:]) }
            let permissions = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.posixPermissions] as? Int
            #expect(permissions == 0o600, "\(name)")
        }
        chmod(directory.appendingPathComponent("admin.token").path, 0o644)
        #expect(throws: SecretFileError.self) { try AdminToken.load(stateDirectory: directory) }
    }

    @Test func keyVaultBindsKeysToTheirCertificate() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let vault = try KeyVault.load(stateDirectory: directory, environment: [:])
        let sealed = try vault.seal(Data("secret key".utf8), boundTo: "arn:a")
        #expect(try vault.open(sealed, boundTo: "arn:a") == Data("secret key".utf8))
        #expect(throws: KeyVaultError.self) { try vault.open(sealed, boundTo: "arn:b") }
        let other = try KeyVault.load(stateDirectory: directory, environment: ["RAMPART_MASTER_KEY": Data(repeating: 7, count: 32).base64EncodedString()])
        #expect(throws: KeyVaultError.self) { try other.open(sealed, boundTo: "arn:a") }
        #expect(throws: KeyVaultError.self) { try KeyVault.load(stateDirectory: directory, environment: ["RAMPART_MASTER_KEY": "short"]) }
    }
}
