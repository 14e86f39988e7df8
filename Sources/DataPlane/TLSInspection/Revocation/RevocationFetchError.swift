/// Why ``HTTPRevocationFetcher`` got no usable response. The descriptions read naturally after the URL
/// in a ``RevocationResult/reason``: `OCSP responder http://…/ unreachable: connection refused`.
public enum RevocationFetchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL is not `http://host[:port][/path]`.
    case unsupportedURL
    /// The connection could not be made or broke, in the system's words (`connection refused`).
    case unreachable(String)
    /// No complete response arrived within the timeout.
    case timedOut(Duration)
    /// The server answered with a status other than 200.
    case httpStatus(Int)
    /// The response body is larger than the limit (in bytes).
    case responseTooLarge(limit: Int)
    /// The server closed the connection before the response was complete.
    case incompleteResponse

    /// The error as a phrase that follows a URL.
    public var description: String {
        switch self {
        case .unsupportedURL: "is not an http:// URL"
        case .unreachable(let why): "unreachable: \(why)"
        case .timedOut(let timeout): "unreachable: no response within \(timeout)"
        case .httpStatus(let code): "answered HTTP \(code)"
        case .responseTooLarge(let limit): "sent a response larger than \(limit) bytes"
        case .incompleteResponse: "unreachable: connection closed before the response was complete"
        }
    }
}
