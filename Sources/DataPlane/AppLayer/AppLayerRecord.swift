public import Rules
public import Shared

/// What an application-layer parser reports when part of a transaction completes: the transaction's buffers
/// for the rule engine and, when the transaction is ready to be logged, its EVE objects.
///
/// A transaction is reported in parts: an HTTP request (`.newTransaction`, `.toServer`, id N) and later its
/// response (`.update`, `.toClient`, id N); a TLS ClientHello (tx 0) then the server's hello and
/// certificate (updates of tx 0); each DNS message (a new transaction). Each part's `transaction` holds the
/// buffers of its own direction only, so the engine inspects every byte once.
///
/// EVE follows Suricata's logging points rather than the inspection points: an HTTP transaction is logged
/// when its response is complete (or at the end of the flow), a TLS handshake once the certificate is seen
/// or known to be absent, a DNS message at once. When the log point comes later than the last part to
/// inspect, a `.logOnly` record carries the EVE objects with an empty transaction.
public struct AppLayerRecord: Sendable, Hashable {
    /// How the record relates to transactions already reported.
    public enum Kind: Sendable, Hashable {
        /// The first part of a transaction: inspect it.
        case newTransaction
        /// A later part of a transaction already reported (same id): inspect it.
        case update
        /// Nothing new to inspect; `eve` holds what to log for the transaction `transaction.id`.
        case logOnly
    }

    public var kind: Kind
    /// The buffers this part fills (empty for `.logOnly`).
    public var transaction: AppTransaction
    /// The EVE objects to write now: one for HTTP and TLS, one per question for a DNS query (as Suricata
    /// logs queries), none when the transaction is not ready to be logged yet.
    public var eve: [AppLayerEve]
    /// The transaction's application fields as known at this part (an HTTP request's fields before its
    /// response exists, the handshake so far), for the `http`/`tls`/`dns` member of an alert raised on it.
    public var metadata: AppLayerEve?
    /// The part ends a message of a parser that reports where its messages end (an HTTP request or
    /// response): Suricata's parser then triggers raw stream inspection of that direction.
    public var endsMessage: Bool

    public init(
        kind: Kind, transaction: AppTransaction, eve: [AppLayerEve] = [], metadata: AppLayerEve? = nil, endsMessage: Bool = false
    ) {
        self.kind = kind
        self.transaction = transaction
        self.eve = eve
        self.metadata = metadata ?? eve.first
        self.endsMessage = endsMessage
    }
}

/// The typed application-layer object of an EVE record.
public enum AppLayerEve: Sendable, Hashable {
    case http(EveHTTP)
    case tls(EveTLS)
    case dns(EveDNS)

    /// The EVE `event_type` (and `app_proto`): `http`, `tls` or `dns`.
    public var eventType: String {
        switch self {
        case .http: "http"
        case .tls: "tls"
        case .dns: "dns"
        }
    }

    /// Sets the matching member (`http`, `tls` or `dns`) of `event`.
    public func attach(to event: inout EveEvent) {
        switch self {
        case .http(let http): event.http = http
        case .tls(let tls): event.tls = tls
        case .dns(let dns): event.dns = dns
        }
    }
}
