import Logging
import HTTPTypes
import Foundation
import Shared

/// Creates, lists and revokes the access keys that sign AWS-front requests. A secret is random,
/// shown once, and stored sealed by the key vault (bound to its key id); a deleted key is refused
/// by the very next request because every verification reads the store.
struct AccessKeyService: Sendable {
    let services: ResourceServices

    func create() throws -> CreateAccessKeyOutput {
        let id = "AKIA" + Self.randomString(length: 16, alphabet: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"))
        let secret = Self.randomString(length: 40, alphabet: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"))
        let record = AccessKeyRecord(id: id, sealedSecret: try services.vault.seal(Data(secret.utf8), boundTo: Self.binding(id)), createdAt: services.clock())
        try services.store.write { db in try record.insert(db) }
        services.logger.info("access key created", metadata: ["access_key_id": "\(id)"])
        return CreateAccessKeyOutput(AccessKeyId: id, SecretAccessKey: secret, CreatedAt: record.createdAt)
    }

    func list() throws -> ListAccessKeysOutput {
        ListAccessKeysOutput(AccessKeys: try services.store.read { db in
            try AccessKeyRecord.all(db).map { AccessKeySummary(AccessKeyId: $0.id, CreatedAt: $0.createdAt) }
        })
    }

    func delete(id: String) throws {
        guard try services.store.write({ db in try AccessKeyRecord.delete(db, id: id) }) else {
            throw APIError.notFound("No access key \(id) exists")
        }
        services.logger.info("access key revoked", metadata: ["access_key_id": "\(id)"])
    }

    /// The secret of a live key, for signature verification; nil when there is no such key.
    func secret(of id: String) throws -> String? {
        guard let record = try services.store.read({ db in try AccessKeyRecord.fetch(db, id: id) }) else { return nil }
        return String(decoding: try services.vault.open(record.sealedSecret, boundTo: Self.binding(id)), as: UTF8.self)
    }

    /// The authenticated data a secret is sealed with, distinct from any certificate ARN.
    private static func binding(_ id: String) -> String { "rampart:access-key/\(id)" }

    private static func randomString(length: Int, alphabet: [Character]) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}
