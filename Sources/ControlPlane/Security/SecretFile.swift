import Foundation

/// Files that hold secrets: created with mode 0600 before anything is written, never widened.
enum SecretFile {
    /// The contents of `path`, creating it with `make()` (mode 0600) when it does not exist.
    static func readOrCreate(_ path: String, make: () -> Data) throws -> Data {
        if let existing = FileManager.default.contents(atPath: path) {
            try requireOwnerOnly(path)
            return existing
        }
        let data = make()
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw SecretFileError.cannotCreate(path, errno) }
        defer { close(descriptor) }
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count, fsync(descriptor) == 0 else { throw SecretFileError.cannotCreate(path, errno) }
        return data
    }

    /// Refuses a secret file that others can read.
    static func requireOwnerOnly(_ path: String) throws {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw SecretFileError.cannotCreate(path, ENOENT)
        }
        let mode = (attributes[.posixPermissions] as? Int) ?? 0o777
        if mode & 0o077 != 0 { throw SecretFileError.tooOpen(path, mode_t(mode)) }
    }

    /// `count` random bytes from the system generator.
    static func randomBytes(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}

/// Why a secret file could not be used.
enum SecretFileError: Error, CustomStringConvertible {
    /// It could not be created or read (errno).
    case cannotCreate(String, Int32)
    /// Group or others have access to it.
    case tooOpen(String, mode_t)

    var description: String {
        switch self {
        case .cannotCreate(let path, let code): "cannot create \(path): \(String(cString: strerror(code)))"
        case .tooOpen(let path, let mode): "\(path) has mode \(String(mode, radix: 8)); it must be readable by its owner only (chmod 600)"
        }
    }
}
