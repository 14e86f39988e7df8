import Foundation
import GRDB

/// Applies `migrations/*.sql` in file-name order, forward only, each in its own transaction, and
/// records what ran in `schema_migrations`. A migration that was applied is never run again; a
/// file that disappeared or was renamed after it ran is an error (the database is newer than the
/// binary's migrations).
struct MigrationRunner {
    let directory: URL

    /// The SQL files, sorted by name.
    func migrationFiles() throws -> [URL] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return names.filter { $0.hasSuffix(".sql") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// Runs every migration not yet applied.
    func run(on writer: some DatabaseWriter) throws {
        let files = try migrationFiles()
        guard !files.isEmpty else { throw StoreError.noMigrations(directory.path) }
        try writer.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name TEXT PRIMARY KEY,
                    applied_at REAL NOT NULL
                )
                """)
        }
        let applied = try writer.read { db in try Set(String.fetchAll(db, sql: "SELECT name FROM schema_migrations")) }
        let known = Set(files.map(\.lastPathComponent))
        if let unknown = applied.subtracting(known).sorted().first {
            throw StoreError.unknownAppliedMigration(unknown)
        }
        for file in files where !applied.contains(file.lastPathComponent) {
            let sql = try String(contentsOf: file, encoding: .utf8)
            try writer.write { db in
                try db.execute(sql: sql)
                try db.execute(
                    sql: "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                    arguments: [file.lastPathComponent, Date().timeIntervalSince1970]
                )
            }
        }
    }

    /// The `migrations` folder: `override` when given, else `RAMPART_MIGRATIONS`, else the first
    /// `migrations` folder found walking up from the executable (a checkout's `.build/…/rampart`),
    /// else `/usr/share/rampart/migrations`.
    static func locate(override: String?) throws -> URL {
        if let override { return URL(fileURLWithPath: override) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["RAMPART_MIGRATIONS"] {
            return URL(fileURLWithPath: fromEnvironment)
        }
        let executable = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        var folder = executable.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("migrations")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return candidate
            }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: "/usr/share/rampart/migrations")
    }
}

/// Why the store could not open.
enum StoreError: Error, CustomStringConvertible {
    /// The migrations folder holds no `.sql` file.
    case noMigrations(String)
    /// The database records a migration this binary does not have.
    case unknownAppliedMigration(String)

    var description: String {
        switch self {
        case .noMigrations(let path): "no migrations (*.sql) in \(path)"
        case .unknownAppliedMigration(let name): "the database has migration \(name), which this build does not know; refusing to run an older binary on a newer database"
        }
    }
}
