import Foundation
import GRDB
import Shared

/// Owns the SQLite database: opening it (WAL), running migrations, and the row mapping of every
/// resource. Services call it inside one `write` transaction per API write, so a request either
/// changes everything it meant to or nothing.
final class ResourceStore: Sendable {
    let writer: any DatabaseWriter

    /// Opens (creating if needed) the database at `path` in WAL mode and migrates it.
    init(path: String, migrations: URL) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        let pool = try DatabasePool(path: path, configuration: configuration)
        writer = pool
        try MigrationRunner(directory: migrations).run(on: pool)
    }

    /// An in-memory database, for tests.
    init(inMemoryWith migrations: URL) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let queue = try DatabaseQueue(configuration: configuration)
        writer = queue
        try MigrationRunner(directory: migrations).run(on: queue)
    }

    func read<T>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try writer.read(body)
    }

    func write<T>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try writer.write(body)
    }
}

/// JSON columns: the AWS bodies and tag lists.
enum JSONColumn {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try CanonicalJSON.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// Opaque list cursors: the base64 of the last sort key of the previous page.
enum PageToken {
    static func make(_ key: String) -> String {
        Data(key.utf8).base64EncodedString()
    }

    /// One page of `rows` fetched with `limit + 1`: the rows to show and the token of the next page
    /// (nil on the last page).
    static func split<Row>(_ rows: [Row], limit: Int, key: (Row) -> String) -> (shown: [Row], next: String?) {
        let shown = Array(rows.prefix(limit))
        return (shown, rows.count > limit ? shown.last.map { make(key($0)) } : nil)
    }

    static func key(from token: String?) throws -> String? {
        guard let token else { return nil }
        guard let data = Data(base64Encoded: token), let key = String(data: data, encoding: .utf8) else {
            throw APIError.invalidParameter("NextToken", "is not valid", value: token, context: "NextToken")
        }
        return key
    }
}
