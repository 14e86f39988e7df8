import Foundation

/// The JSON body of one AWS-front request. An operation decodes it as many shapes as it needs (a
/// resource locator and the REST request body read the same object); an empty body is `{}`.
struct AWSInput: Sendable {
    let data: Data

    init(data: Data) {
        self.data = data.isEmpty ? Data("{}".utf8) : data
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw APIError.invalidRequest(DecodingErrorDescription.describe(error))
        }
    }
}

/// The output of operations that return nothing: `{}`.
struct EmptyOutput: Codable, Sendable {}
