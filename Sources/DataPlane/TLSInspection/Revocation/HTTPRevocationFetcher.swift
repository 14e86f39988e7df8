import Glibc
public import NIOCore
import NIOHTTP1
import NIOPosix

/// Fetches OCSP responses and CRLs over plain HTTP/1.1 with SwiftNIO: one connection per request
/// (`Connection: close`), hosts given as an IP literal or a name (resolved by NIO's default resolver),
/// the response body capped and the whole exchange — resolution, connect, request, response — bounded
/// by one timeout, so a silent responder cannot hold a TLS handshake for longer than that.
public final class HTTPRevocationFetcher: RevocationFetching {
    private let group: any EventLoopGroup
    private let timeout: Duration
    private let maximumResponseBytes: Int

    /// A fetcher on `group`.
    ///
    /// - Parameters:
    ///   - timeout: the bound on one whole request.
    ///   - maximumResponseBytes: the largest response body accepted (CRLs are the large ones).
    public init(group: any EventLoopGroup, timeout: Duration = .seconds(3), maximumResponseBytes: Int = 1 << 20) {
        self.group = group
        self.timeout = timeout
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// GETs or POSTs `url` and returns the body of its 200 response.
    ///
    /// - Throws: ``RevocationFetchError``, or `CancellationError` when the task is cancelled.
    public func fetch(url: String, body: [UInt8]?, contentType: String?) async throws -> [UInt8] {
        guard let location = RevocationURL(url) else { throw RevocationFetchError.unsupportedURL }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: location.authority)
        headers.add(name: "User-Agent", value: "rampart")
        headers.add(name: "Accept", value: "*/*")
        headers.add(name: "Connection", value: "close")
        if let body {
            headers.add(name: "Content-Type", value: contentType ?? "application/octet-stream")
            headers.add(name: "Content-Length", value: String(body.count))
        }
        let head = HTTPRequestHead(
            version: .http1_1, method: body == nil ? .GET : .POST, uri: location.target, headers: headers
        )

        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: [UInt8].self)
        let timeout = self.timeout
        let deadline = eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            promise.fail(RevocationFetchError.timedOut(timeout))
        }
        let maximumBytes = maximumResponseBytes
        let connected = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(timeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        RevocationHTTPHandler(head: head, body: body, maximumBytes: maximumBytes, promise: promise)
                    )
                }
            }
            .connect(host: location.host, port: location.port)
        connected.whenComplete { result in
            switch result {
            case .success(let channel):
                promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
            case .failure(let error):
                promise.fail(RevocationFetchError.unreachable(Self.phrase(for: error)))
            }
        }
        promise.futureResult.whenComplete { _ in deadline.cancel() }

        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            promise.fail(CancellationError())
        }
    }

    /// A short lower-case phrase for a connection error: the system's words for an errno
    /// (`connection refused`), else the error's own description.
    static func phrase(for error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return phrase(for: first.error) }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "cannot resolve \(error.host)" }
            return "no address for \(error.host)"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case ChannelError.connectTimeout(let amount):
            return "connect timed out after \(amount.nanoseconds / 1_000_000) ms"
        default:
            return String(describing: error)
        }
    }
}
