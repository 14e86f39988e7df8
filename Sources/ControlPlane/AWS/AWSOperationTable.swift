import HTTPTypes
/// The operations of one AWS service by name; each decodes its input and returns its output.
struct AWSOperationTable: Sendable {
    typealias Handler = @Sendable (AWSInput) async throws -> any Encodable & Sendable

    private(set) var handlers: [String: Handler] = [:]

    mutating func on(_ operation: String, _ handler: @escaping @Sendable (AWSInput) async throws -> some Encodable & Sendable) {
        precondition(handlers[operation] == nil, "operation \(operation) registered twice")
        handlers[operation] = { input in try await handler(input) }
    }

    func handler(for operation: String) -> Handler? { handlers[operation] }

    var operations: [String] { handlers.keys.sorted() }
}
