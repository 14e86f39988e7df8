/// The buffers a payload keyword (`content`, `pcre`, `bsize`, …) can inspect: the packet payload or
/// reassembled stream, or an application-layer field selected by a sticky buffer (`http.uri; content:…`)
/// or a legacy modifier (`content:…; http_uri;`).
public enum InspectionBuffer: String, Sendable, Hashable, CaseIterable {
    /// The packet payload, or the reassembled stream of a TCP flow.
    case payload = "payload"
    // HTTP request.
    case httpURI = "http.uri"
    case httpRawURI = "http.uri.raw"
    case httpMethod = "http.method"
    case httpHost = "http.host"
    case httpRawHost = "http.host.raw"
    case httpUserAgent = "http.user_agent"
    case httpHeader = "http.header"
    case httpRawHeader = "http.header.raw"
    case httpHeaderNames = "http.header_names"
    case httpCookie = "http.cookie"
    case httpRequestLine = "http.request_line"
    case httpProtocol = "http.protocol"
    case httpStart = "http.start"
    case httpAccept = "http.accept"
    case httpAcceptEncoding = "http.accept_enc"
    case httpAcceptLanguage = "http.accept_lang"
    case httpReferer = "http.referer"
    case httpConnection = "http.connection"
    case httpContentType = "http.content_type"
    case httpContentLength = "http.content_len"
    case httpRequestBody = "http.request_body"
    // HTTP response.
    case httpStatusCode = "http.stat_code"
    case httpStatusMessage = "http.stat_msg"
    case httpResponseLine = "http.response_line"
    case httpServer = "http.server"
    case httpLocation = "http.location"
    case httpResponseBody = "http.response_body"
    // TLS.
    case tlsSNI = "tls.sni"
    case tlsCertSubject = "tls.cert_subject"
    case tlsCertIssuer = "tls.cert_issuer"
    case tlsCertSerial = "tls.cert_serial"
    case tlsCertFingerprint = "tls.cert_fingerprint"
    case ja3Hash = "ja3.hash"
    case ja3String = "ja3.string"
    case ja3sHash = "ja3s.hash"
    case ja3sString = "ja3s.string"
    // DNS.
    case dnsQuery = "dns.query"

    /// Position in `allCases`, for array-indexed storage. A switch, not a table: the buffers are
    /// looked up for every transaction a parser fills, and hashing the case's name each time showed.
    public var index: Int {
        switch self {
        case .payload: 0
        case .httpURI: 1
        case .httpRawURI: 2
        case .httpMethod: 3
        case .httpHost: 4
        case .httpRawHost: 5
        case .httpUserAgent: 6
        case .httpHeader: 7
        case .httpRawHeader: 8
        case .httpHeaderNames: 9
        case .httpCookie: 10
        case .httpRequestLine: 11
        case .httpProtocol: 12
        case .httpStart: 13
        case .httpAccept: 14
        case .httpAcceptEncoding: 15
        case .httpAcceptLanguage: 16
        case .httpReferer: 17
        case .httpConnection: 18
        case .httpContentType: 19
        case .httpContentLength: 20
        case .httpRequestBody: 21
        case .httpStatusCode: 22
        case .httpStatusMessage: 23
        case .httpResponseLine: 24
        case .httpServer: 25
        case .httpLocation: 26
        case .httpResponseBody: 27
        case .tlsSNI: 28
        case .tlsCertSubject: 29
        case .tlsCertIssuer: 30
        case .tlsCertSerial: 31
        case .tlsCertFingerprint: 32
        case .ja3Hash: 33
        case .ja3String: 34
        case .ja3sHash: 35
        case .ja3sString: 36
        case .dnsQuery: 37
        }
    }

    /// Hashes the position rather than the name.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(index)
    }

    /// The application protocol whose transactions carry the buffer; nil for `payload`.
    public var appProtocol: AppProtocol? {
        switch self {
        case .payload: nil
        case .tlsSNI, .tlsCertSubject, .tlsCertIssuer, .tlsCertSerial, .tlsCertFingerprint, .ja3Hash, .ja3String,
             .ja3sHash, .ja3sString: .tls
        case .dnsQuery: .dns
        default: .http
        }
    }

    /// The direction whose data fills the buffer (requests and ClientHello to the server; responses and the
    /// server's handshake to the client); nil for `payload` and for the HTTP buffers both directions have
    /// (headers, header names, content type and length, start).
    public var direction: FlowDirection? {
        switch self {
        case .payload, .httpHeader, .httpRawHeader, .httpHeaderNames, .httpContentType, .httpContentLength, .httpStart,
             .httpCookie: nil
        case .httpStatusCode, .httpStatusMessage, .httpResponseLine, .httpServer, .httpLocation, .httpResponseBody,
             .tlsCertSubject, .tlsCertIssuer, .tlsCertSerial, .tlsCertFingerprint, .ja3sHash, .ja3sString: .toClient
        default: .toServer
        }
    }

    /// How far its message must have been parsed before the buffer can be inspected, as Suricata registers
    /// its inspection engines per transaction progress: 1 for the HTTP start line (`http.method`,
    /// `http.uri`, `http.stat_code`, …), for the TLS hellos' buffers and for every DNS buffer, 2 for what the
    /// HTTP headers give and for the server certificate's TLS buffers (the Certificate message follows the
    /// ServerHello), 3 for an HTTP body. A rule is inspected once per transaction and direction, at the first part that
    /// reaches its buffers' highest progress (`AppTransaction.progress`).
    public var progress: Int {
        switch self {
        case .httpMethod, .httpURI, .httpRawURI, .httpProtocol, .httpRequestLine, .httpStatusCode, .httpStatusMessage,
             .httpResponseLine: 1
        case .httpRequestBody, .httpResponseBody: 3
        case .tlsCertSubject, .tlsCertIssuer, .tlsCertSerial, .tlsCertFingerprint: 2
        default: appProtocol == .http ? 2 : 1
        }
    }
}

/// Application-layer protocols the data plane detects and parses.
public enum AppProtocol: String, Sendable, Hashable, CaseIterable {
    case http, tls, dns
}

/// One `content` match.
public struct ContentMatch: Sendable, Hashable {
    /// The bytes to find (`|hex|` decoded, escapes resolved).
    public var pattern: [UInt8]
    /// `content:!"…"`: the match succeeds when the pattern is absent (within the given bounds).
    public var negated: Bool = false
    public var nocase: Bool = false
    /// Absolute bounds: the match must start at or after `offset` and end within the first `depth` bytes
    /// after `offset`.
    public var offset: Int?
    public var depth: Int?
    /// Relative bounds from the end of the previous match (`distance` may be negative).
    public var distance: Int?
    public var within: Int?
    /// `startswith`: at the start of the buffer (depth = pattern length, offset 0).
    public var startsWith: Bool = false
    /// `endswith`: the match ends at the end of the buffer.
    public var endsWith: Bool = false
    /// `fast_pattern` (the prefilter uses this content; `fast_pattern:only` and `chop` are read as plain
    /// `fast_pattern`).
    public var fastPattern: Bool = false
    /// `rawbytes` (accepted, no effect: Rampart has no normalized payload buffer).
    public var rawbytes: Bool = false

    public init(pattern: [UInt8]) {
        self.pattern = pattern
    }

    /// Whether the match is placed relative to the previous one.
    public var isRelative: Bool { distance != nil || within != nil }
}

/// One `pcre` match: `pcre:[!]"/expression/flags"`.
public struct PcreMatch: Sendable, Hashable {
    /// The expression between the slashes, as written.
    public var expression: String
    /// PCRE2 compile flags from `i s m x A E G` (caseless, dotall, multiline, extended, anchored, dollar
    /// endonly, ungreedy); `D` and `O` are accepted and ignored.
    public var flags: Set<Character>
    public var negated: Bool
    /// `R`: matched from the end of the previous match.
    public var relative: Bool

    public init(expression: String, flags: Set<Character> = [], negated: Bool = false, relative: Bool = false) {
        self.expression = expression
        self.flags = flags
        self.negated = negated
        self.relative = relative
    }
}

/// A numeric comparison used by `dsize`, `bsize`, `ttl`, `window`, `itype`, … : `N`, `<N`, `>N`, `<=N`,
/// `>=N`, `!N`, `N-M` (exclusive bounds, as Suricata reads ranges) or `N<>M` (the same).
public struct NumericCondition: Sendable, Hashable {
    public enum Operator: String, Sendable, Hashable {
        case equal = "="
        case notEqual = "!"
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        /// Strictly between `value` and `upper`.
        case range = "<>"
    }

    public var op: Operator
    public var value: UInt64
    /// Only for `.range`.
    public var upper: UInt64

    public init(_ op: Operator, _ value: UInt64, upper: UInt64 = 0) {
        self.op = op
        self.value = value
        self.upper = upper
    }

    @inline(__always)
    public func matches(_ number: UInt64) -> Bool {
        switch op {
        case .equal: number == value
        case .notEqual: number != value
        case .less: number < value
        case .lessOrEqual: number <= value
        case .greater: number > value
        case .greaterOrEqual: number >= value
        case .range: number > value && number < upper
        }
    }
}

/// `isdataat:[!]N[,relative][,rawbytes]`.
public struct DataAtCheck: Sendable, Hashable {
    public var position: Int
    public var relative: Bool
    public var negated: Bool

    public init(position: Int, relative: Bool = false, negated: Bool = false) {
        self.position = position
        self.relative = relative
        self.negated = negated
    }
}

/// `byte_test:count,[!]operator,value,offset[,relative][,endian][,string,base][,dce][,bitmask N]`.
public struct ByteTest: Sendable, Hashable {
    public enum Operator: String, Sendable, Hashable {
        case less = "<", greater = ">", equal = "=", lessOrEqual = "<=", greaterOrEqual = ">=", and = "&", or = "^"
    }

    public enum Base: Int, Sendable, Hashable {
        case decimal = 10, hexadecimal = 16, octal = 8
    }

    /// Bytes to read (1…10; up to 23 for `string`).
    public var count: Int
    public var op: Operator
    public var negated: Bool
    public var value: UInt64
    /// May be negative with `relative`.
    public var offset: Int
    public var relative: Bool
    /// `little` (default `big`).
    public var littleEndian: Bool
    /// `string,hex|dec|oct`: the bytes are ASCII digits in this base.
    public var stringBase: Base?
    /// `bitmask N`: applied before comparing, then shifted right by the mask's trailing zeros.
    public var bitmask: UInt64?

    public init(
        count: Int, op: Operator, negated: Bool = false, value: UInt64, offset: Int, relative: Bool = false,
        littleEndian: Bool = false, stringBase: Base? = nil, bitmask: UInt64? = nil
    ) {
        self.count = count
        self.op = op
        self.negated = negated
        self.value = value
        self.offset = offset
        self.relative = relative
        self.littleEndian = littleEndian
        self.stringBase = stringBase
        self.bitmask = bitmask
    }
}

/// One step of a buffer's inspection list, in the order the rule wrote them.
public enum DetectionStep: Sendable, Hashable {
    case content(ContentMatch)
    case pcre(PcreMatch)
    case dataAt(DataAtCheck)
    case byteTest(ByteTest)
    /// `bsize`: the buffer's length.
    case bufferSize(NumericCondition)
}

/// The inspection list of one buffer: every step must hold, relative steps after the previous one.
public struct BufferInspection: Sendable, Hashable {
    public var buffer: InspectionBuffer
    public var steps: [DetectionStep]
    /// Transforms applied to the buffer before the steps run (`dotprefix`, `to_lowercase`, …), in order.
    public var transforms: [BufferTransform]

    public init(buffer: InspectionBuffer, steps: [DetectionStep] = [], transforms: [BufferTransform] = []) {
        self.buffer = buffer
        self.steps = steps
        self.transforms = transforms
    }
}

/// A sticky-buffer transform.
public enum BufferTransform: String, Sendable, Hashable, CaseIterable {
    /// Prepends a `.` (so `.example.com` matches the domain and its subdomains with `endswith`).
    case dotPrefix = "dotprefix"
    case toLowercase = "to_lowercase"
    case toUppercase = "to_uppercase"
    /// Removes every space and tab.
    case stripWhitespace = "strip_whitespace"
    /// Collapses runs of spaces and tabs into one space.
    case compressWhitespace = "compress_whitespace"

    /// The transformed bytes.
    public func apply(_ bytes: [UInt8]) -> [UInt8] {
        switch self {
        case .dotPrefix:
            return [UInt8(ascii: ".")] + bytes
        case .toLowercase:
            return bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        case .toUppercase:
            return bytes.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }
        case .stripWhitespace:
            return bytes.filter { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 && $0 != 11 && $0 != 12 }
        case .compressWhitespace:
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var inSpace = false
            for byte in bytes {
                let space = byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 11 || byte == 12
                if space {
                    if !inSpace { out.append(32) }
                } else {
                    out.append(byte)
                }
                inSpace = space
            }
            return out
        }
    }
}
