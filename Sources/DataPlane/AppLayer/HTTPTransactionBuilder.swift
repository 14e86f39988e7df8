import Rules
import Shared

/// Fills the sticky buffers and EVE fields of an HTTP request or response from its head, the way
/// Suricata builds them from libhtp's transaction.
enum HTTPTransactionBuilder {
    /// The request line of transaction `id`: the buffers it gives (`http.method`, `http.uri`, `http.uri.raw`,
    /// `http.protocol`, `http.request_line`) and the EVE fields it gives.
    static func requestLine(_ startLine: [UInt8], id: Int) -> (transaction: AppTransaction, eve: EveHTTP) {
        let parts = requestLineParts(startLine, id: id)
        return (parts.transaction, parts.eve)
    }

    /// `requestLine`, with the parsed URI for the caller to go on from (nil when the line is not a request line).
    private static func requestLineParts(_ startLine: [UInt8], id: Int) -> (transaction: AppTransaction, eve: EveHTTP, uri: HTTPURI?) {
        var transaction = AppTransaction(appProtocol: .http, direction: .toServer, id: id)
        var eve = EveHTTP()
        guard let line = HTTPRequestLine(startLine) else { return (transaction, eve, nil) }
        let uri = HTTPURI(line.uri)
        transaction.set(.httpMethod, line.method)
        transaction.set(.httpRawURI, line.uri)
        transaction.set(.httpURI, uri.normalized)
        if !line.protocolVersion.isEmpty { transaction.set(.httpProtocol, line.protocolVersion) }
        transaction.set(.httpRequestLine, startLine)
        eve.hostname = uri.host.map { EveText.string(HTTPURI.normalizedHost($0)) }
        eve.http_port = uri.port.flatMap { HTTPBytes.decimal($0) }
        eve.url = EveText.string(line.uri)
        eve.http_method = EveText.string(line.method)
        eve.protocol = line.protocolVersion.isEmpty ? nil : EveText.string(line.protocolVersion)
        return (transaction, eve, uri)
    }

    /// The request part of transaction `id`: buffers (body excluded) and the EVE request fields.
    static func request(_ head: HTTPHead, id: Int) -> (transaction: AppTransaction, eve: EveHTTP) {
        let parts = requestLineParts(head.startLine, id: id)
        var transaction = parts.transaction
        var eve = parts.eve
        guard let uri = parts.uri else { return (transaction, eve) }
        fillHeaderBuffers(&transaction, head, cookieHeader: "cookie")

        // The host comes from an absolute URI first, else from the Host header (Suricata's http.host notes).
        var hostRaw: [UInt8]?
        var hostName: [UInt8]?
        var port: [UInt8]?
        if let uriHost = uri.host {
            hostRaw = uriHost
            hostName = uriHost
            port = uri.port
        } else if let header = head.value("host") {
            hostRaw = header
            let (name, headerPort) = HTTPURI.splitHostPort(header[...])
            hostName = Array(name)
            port = headerPort.map(Array.init)
        }
        if let hostRaw { transaction.set(.httpRawHost, hostRaw) }
        let host = hostName.map { HTTPURI.normalizedHost($0) }
        if let host { transaction.set(.httpHost, host) }

        let single: [(String, InspectionBuffer)] = [
            ("user-agent", .httpUserAgent), ("accept", .httpAccept), ("accept-encoding", .httpAcceptEncoding),
            ("accept-language", .httpAcceptLanguage), ("referer", .httpReferer), ("connection", .httpConnection),
        ]
        for (name, buffer) in single {
            if let value = head.value(name) { transaction.set(buffer, value) }
        }

        eve.hostname = host.map { EveText.string($0) }
        eve.http_port = port.flatMap { HTTPBytes.decimal($0) }
        eve.http_user_agent = head.value("user-agent").map { EveText.string($0) }
        eve.xff = head.value("x-forwarded-for").map { EveText.string($0) }
        eve.http_refer = head.value("referer").map { EveText.string($0) }
        return (transaction, eve)
    }

    /// The status line of transaction `id`'s response: the buffers it gives (`http.stat_code`,
    /// `http.stat_msg`, `http.response_line`, `http.protocol`); `eve` receives the status.
    static func responseLine(_ startLine: [UInt8], id: Int, eve: inout EveHTTP) -> AppTransaction {
        var transaction = AppTransaction(appProtocol: .http, direction: .toClient, id: id)
        guard let line = HTTPStatusLine(startLine) else { return transaction }
        transaction.set(.httpStatusCode, line.statusCode)
        if !line.reason.isEmpty { transaction.set(.httpStatusMessage, line.reason) }
        transaction.set(.httpResponseLine, startLine)
        transaction.set(.httpProtocol, line.protocolVersion)
        if let number = line.number {
            eve.status = number
        } else {
            eve.status_string = EveText.string(line.statusCode)
        }
        return transaction
    }

    /// The response part of transaction `id`: buffers (body excluded); `eve` receives the response fields
    /// (`length` is set when the body ends).
    static func response(_ head: HTTPHead, id: Int, eve: inout EveHTTP) -> AppTransaction {
        var transaction = responseLine(head.startLine, id: id, eve: &eve)
        guard HTTPStatusLine(head.startLine) != nil else { return transaction }
        fillHeaderBuffers(&transaction, head, cookieHeader: "set-cookie")
        if let server = head.value("server") { transaction.set(.httpServer, server) }
        if let location = head.value("location") { transaction.set(.httpLocation, location) }

        if let contentType = head.value("content-type") {
            eve.http_content_type = EveText.string(contentType.prefix { $0 != UInt8(ascii: ";") })
        }
        eve.redirect = head.value("location").map { EveText.string($0) }
        return transaction
    }

    /// The buffers both directions have: `http.header` (without the cookie header), `http.header.raw`,
    /// `http.header_names`, `http.cookie`, `http.content_type`, `http.content_len` and `http.start`.
    private static func fillHeaderBuffers(_ transaction: inout AppTransaction, _ head: HTTPHead, cookieHeader: String) {
        let crlf: [UInt8] = [HTTPBytes.cr, HTTPBytes.lf]
        let fieldsSize = head.headers.reduce(0) { $0 + $1.name.count + $1.value.count + 4 }
        var header: [UInt8] = []
        header.reserveCapacity(fieldsSize)
        var start: [UInt8] = []
        start.reserveCapacity(head.startLine.count + fieldsSize + 4)
        start += head.startLine
        start += crlf
        var names: [UInt8] = []
        if !head.headers.isEmpty { names += crlf }
        for field in head.headers {
            let lineStart = start.count
            start += field.name
            start.append(UInt8(ascii: ":"))
            start.append(0x20)
            start += field.value
            start += crlf
            names += field.name
            names += crlf
            if !HTTPBytes.equalsIgnoringCase(field.name, cookieHeader.utf8) { header += start[lineStart...] }
        }
        if !head.headers.isEmpty {
            start += crlf
            names += crlf
            transaction.set(.httpHeaderNames, names)
        }
        if !header.isEmpty { transaction.set(.httpHeader, header) }
        if !head.rawHeaders.isEmpty { transaction.set(.httpRawHeader, head.rawHeaders) }
        transaction.set(.httpStart, start)
        if let cookie = head.value(cookieHeader) { transaction.set(.httpCookie, cookie) }
        if let contentType = head.value("content-type") { transaction.set(.httpContentType, contentType) }
        if let contentLength = head.value("content-length") { transaction.set(.httpContentLength, contentLength) }
    }

    /// The body framing RFC 9112 gives a request: chunked, Content-Length, or none.
    static func requestFraming(_ head: HTTPHead) -> HTTPBodyFraming? {
        if isChunked(head) { return .chunked }
        if let value = head.value("content-length") {
            guard let length = HTTPBytes.decimal(value) else { return nil }
            return length == 0 ? HTTPBodyFraming.none : .length(length)
        }
        return HTTPBodyFraming.none
    }

    /// The body framing of a response to a request with `method`.
    static func responseFraming(_ head: HTTPHead, status: Int?, method: [UInt8]?) -> HTTPBodyFraming? {
        if let method, HTTPBytes.equalsIgnoringCase(method, Array("HEAD".utf8)) { return HTTPBodyFraming.none }
        if let status, status < 200 || status == 204 || status == 304 { return HTTPBodyFraming.none }
        if let status, (200..<300).contains(status), let method,
           HTTPBytes.equalsIgnoringCase(method, Array("CONNECT".utf8)) { return HTTPBodyFraming.none }
        if isChunked(head) { return .chunked }
        if let value = head.value("content-length") {
            guard let length = HTTPBytes.decimal(value) else { return nil }
            return length == 0 ? HTTPBodyFraming.none : .length(length)
        }
        return .untilClose
    }

    private static func isChunked(_ head: HTTPHead) -> Bool {
        guard let encoding = head.value("transfer-encoding") else { return false }
        let lower = HTTPBytes.lowercased(encoding)
        let chunked = Array("chunked".utf8)
        return lower.count >= chunked.count && (0...(lower.count - chunked.count)).contains {
            lower[$0..<($0 + chunked.count)].elementsEqual(chunked)
        }
    }
}
