public import Shared
import Foundation
import Glibc

/// Why the on-disk snapshot could not be read or written.
public struct SnapshotCacheError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `Read`, `Decode`, `DigestMismatch`, `Write`.
    public var code: String
    public var message: String
    public var path: String

    public var description: String { "snapshot cache \(path): \(code): \(message)" }
}

/// The worker's last good snapshot on disk, so that after a restart it enforces at once even with
/// the control plane down. Written atomically: a temporary file (0600) in the same directory,
/// `fsync`, `rename`, then `fsync` of the directory. A file whose digest does not match its body is
/// refused.
public struct SnapshotCache: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The cache file for a firewall and queue under `directory`: `snapshot-<firewall>-q<N>.json`.
    public static func path(directory: String, firewallName: String, queue: Int) -> String {
        (directory.hasSuffix("/") ? directory : directory + "/") + "snapshot-\(firewallName)-q\(queue).json"
    }

    /// The cached snapshot; nil when there is none.
    public func load() throws(SnapshotCacheError) -> Snapshot? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SnapshotCacheError(code: "Read", message: "\(error)", path: path)
        }
        let snapshot: Snapshot
        do {
            snapshot = try CanonicalJSON.decode(Snapshot.self, from: data)
        } catch {
            throw SnapshotCacheError(code: "Decode", message: "not a snapshot: \(error)", path: path)
        }
        let valid = (try? snapshot.verifyDigest()) ?? false
        guard valid else {
            throw SnapshotCacheError(code: "DigestMismatch", message: "the body does not hash to \(snapshot.header.digest)", path: path)
        }
        return snapshot
    }

    /// Replaces the cached snapshot with `snapshot`.
    public func store(_ snapshot: Snapshot) throws(SnapshotCacheError) {
        let data: Data
        do {
            data = try CanonicalJSON.encode(snapshot)
        } catch {
            throw SnapshotCacheError(code: "Encode", message: "\(error)", path: path)
        }
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = path + ".tmp.\(getpid())"
        func failure(_ step: String) -> SnapshotCacheError {
            SnapshotCacheError(code: "Write", message: "\(step): \(String(cString: strerror(errno)))", path: path)
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("open \(temporary)") }
        var ok = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
        if ok { ok = fsync(descriptor) == 0 }
        if !ok {
            let error = failure("write \(temporary)")
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let error = failure("rename \(temporary)")
            unlink(temporary)
            throw error
        }
        let directoryDescriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}
