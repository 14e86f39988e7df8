import Crypto
import Foundation

/// Seals and opens private keys with AES-256-GCM under the key-encryption key, which comes from
/// `RAMPART_MASTER_KEY` (base64 of 32 bytes) or `DIR/master.key` (0600, created on first start).
/// The ARN is bound as authenticated data, so a sealed key cannot be moved to another certificate.
struct KeyVault: Sendable {
    private let key: SymmetricKey

    init(key: SymmetricKey) {
        self.key = key
    }

    /// The vault of a state directory.
    static func load(stateDirectory: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> KeyVault {
        if let encoded = environment["RAMPART_MASTER_KEY"] {
            guard let data = Data(base64Encoded: encoded), data.count == 32 else { throw KeyVaultError.badEnvironmentKey }
            return KeyVault(key: SymmetricKey(data: data))
        }
        let path = stateDirectory.appendingPathComponent("master.key").path
        let data = try SecretFile.readOrCreate(path) { SecretFile.randomBytes(32) }
        guard data.count == 32 else { throw KeyVaultError.badKeyFile(path) }
        return KeyVault(key: SymmetricKey(data: data))
    }

    func seal(_ plaintext: Data, boundTo arn: String) throws -> Data {
        guard let combined = try AES.GCM.seal(plaintext, using: key, authenticating: Data(arn.utf8)).combined else {
            throw KeyVaultError.sealFailed
        }
        return combined
    }

    func open(_ sealed: Data, boundTo arn: String) throws -> Data {
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Data(arn.utf8))
        } catch {
            throw KeyVaultError.openFailed(arn)
        }
    }
}

/// Why a key could not be sealed or opened. Never carries key material.
enum KeyVaultError: Error, CustomStringConvertible {
    /// `RAMPART_MASTER_KEY` is not base64 of 32 bytes.
    case badEnvironmentKey
    /// The key file does not hold 32 bytes.
    case badKeyFile(String)
    /// Sealing failed.
    case sealFailed
    /// The sealed key does not open with this key-encryption key.
    case openFailed(String)

    var description: String {
        switch self {
        case .badEnvironmentKey: "RAMPART_MASTER_KEY must be the base64 encoding of 32 bytes"
        case .badKeyFile(let path): "\(path) must hold exactly 32 bytes"
        case .sealFailed: "could not seal a private key"
        case .openFailed(let arn): "the private key of \(arn) does not open with this key-encryption key (wrong master.key or RAMPART_MASTER_KEY?)"
        }
    }
}
