import Foundation

/// The bearer token every `/v1` request must carry, kept in `DIR/admin.token` (0600).
struct AdminToken: Sendable {
    let value: String

    /// Reads the token, creating a random one on first start.
    static func load(stateDirectory: URL) throws -> AdminToken {
        let path = stateDirectory.appendingPathComponent("admin.token").path
        let data = try SecretFile.readOrCreate(path) {
            Data((SecretFile.randomBytes(32).map { String(format: "%02x", $0) }.joined() + "\n").utf8)
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count >= 32 else { throw AdminTokenError.tooShort(path) }
        return AdminToken(value: text)
    }

    /// Compares in constant time with respect to the presented value's content.
    func matches(_ presented: String) -> Bool {
        let expected = Array(value.utf8)
        let given = Array(presented.utf8)
        var difference = UInt8(expected.count == given.count ? 0 : 1)
        for index in 0..<expected.count {
            difference |= expected[index] ^ (index < given.count ? given[index] : 0)
        }
        return difference == 0
    }
}

/// Why the admin token is unusable.
enum AdminTokenError: Error, CustomStringConvertible {
    /// The token file holds fewer than 32 characters.
    case tooShort(String)

    var description: String {
        switch self {
        case .tooShort(let path): "\(path) holds a token shorter than 32 characters"
        }
    }
}
