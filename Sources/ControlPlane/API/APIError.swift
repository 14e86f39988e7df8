public import HTTPTypes
public import Hummingbird
import Foundation

/// An error a client sees: `{"__type": "<AWS error shape>", "Message": "..."}` with a 4xx status
/// that fits (5xx only for `InternalServerError`). Every error leaving the API goes through
/// ``ErrorMiddleware``, which turns anything else into one of these.
public struct APIError: Error, HTTPResponseError, CustomStringConvertible {
    /// The AWS error shape name, sent as `__type`.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let invalidRequest = Code(rawValue: "InvalidRequestException")
        public static let invalidToken = Code(rawValue: "InvalidTokenException")
        public static let invalidOperation = Code(rawValue: "InvalidOperationException")
        public static let resourceNotFound = Code(rawValue: "ResourceNotFoundException")
        public static let limitExceeded = Code(rawValue: "LimitExceededException")
        public static let resourceInUse = Code(rawValue: "ResourceInUseException")
        public static let validation = Code(rawValue: "ValidationException")
        public static let unrecognizedClient = Code(rawValue: "UnrecognizedClientException")
        public static let unsupportedOperation = Code(rawValue: "UnsupportedOperationException")
        public static let internalServerError = Code(rawValue: "InternalServerError")
        // Signature Version 4 (AWS's common errors).
        public static let missingAuthenticationToken = Code(rawValue: "MissingAuthenticationTokenException")
        public static let incompleteSignature = Code(rawValue: "IncompleteSignatureException")
        public static let invalidSignature = Code(rawValue: "InvalidSignatureException")
        // ACM's own shapes.
        public static let invalidArn = Code(rawValue: "InvalidArnException")
        public static let invalidParameter = Code(rawValue: "InvalidParameterException")
        public static let invalidTag = Code(rawValue: "InvalidTagException")
        public static let tooManyTags = Code(rawValue: "TooManyTagsException")
    }

    public var code: Code
    public var message: String
    public var status: HTTPResponse.Status

    public init(_ code: Code, _ message: String, status: HTTPResponse.Status) {
        self.code = code
        self.message = message
        self.status = status
    }

    /// 400 `InvalidRequestException`.
    public static func invalidRequest(_ message: String) -> APIError {
        APIError(.invalidRequest, message, status: .badRequest)
    }

    /// 400 in the AWS validation style: `<Field> <problem>, parameter: [<value>], context: <path>`.
    public static func invalidParameter(_ field: String, _ problem: String, value: String? = nil, context: String) -> APIError {
        var text = "\(field) \(problem)"
        if let value { text += ", parameter: [\(value)]" }
        text += ", context: \(context)"
        return .invalidRequest(text)
    }

    /// 404 `ResourceNotFoundException`.
    public static func notFound(_ message: String) -> APIError {
        APIError(.resourceNotFound, message, status: .notFound)
    }

    /// 409 `InvalidTokenException`: the update token is stale.
    public static func staleToken(_ resource: String) -> APIError {
        APIError(.invalidToken, "Update token for \(resource) is stale or not valid; describe it again and retry with the current UpdateToken", status: .conflict)
    }

    /// 409 `InvalidOperationException`: in use or protected.
    public static func invalidOperation(_ message: String) -> APIError {
        APIError(.invalidOperation, message, status: .conflict)
    }

    public var description: String { "\(code.rawValue): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ErrorBody(type: code.rawValue, message: message)
        let data = try JSONEncoder().encode(body)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("X-Amzn-ErrorType")!] = code.rawValue
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private struct ErrorBody: Encodable {
        var type: String
        var message: String

        enum CodingKeys: String, CodingKey {
            case type = "__type"
            case message = "Message"
        }
    }
}
