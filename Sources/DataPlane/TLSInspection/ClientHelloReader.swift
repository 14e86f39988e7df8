/// Collects a connection's first bytes until its ClientHello is complete (split over records and reads
/// anywhere), bounded in size: the TLS engine needs the SNI and ALPN before it can decide anything, and
/// the bytes themselves to replay into the client-side TLS handshake afterwards.
struct ClientHelloReader {
    /// What the bytes so far amount to.
    enum Progress {
        case needMore
        /// Every byte read so far (to be replayed), and the parsed hello.
        case complete(bytes: [UInt8], hello: TLSClientHello)
        /// Not a TLS ClientHello, or larger than ``maximumBytes``.
        case notTLS
    }

    /// The most a ClientHello may take (several records; post-quantum key shares make them large).
    static let maximumBytes = 64 * 1024

    private var bytes: [UInt8] = []
    private var records = TLSRecordReader()
    private var consumed = 0

    /// Adds `input` and reports the progress.
    mutating func append(_ input: some Sequence<UInt8>) -> Progress {
        bytes.append(contentsOf: input)
        guard bytes.count <= Self.maximumBytes else { return .notTLS }
        var pending = bytes[consumed...]
        while let event = records.next(&pending) {
            switch event {
            case .handshake(let type, let body):
                guard type == 1, let hello = TLSClientHello(body) else { return .notTLS }
                return .complete(bytes: bytes, hello: hello)
            case .changeCipherSpec, .applicationData, .failed:
                return .notTLS
            }
        }
        consumed = bytes.count
        return .needMore
    }
}
