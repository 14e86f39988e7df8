/// One EVE JSON record with Suricata's field names.
public struct EveEvent: Codable, Hashable, Sendable {
    public var timestamp: String
    public var flow_id: UInt64?
    public var pcap_cnt: UInt64?
    public var event_type: String
    public var src_ip: String
    public var src_port: UInt16?
    public var dest_ip: String
    public var dest_port: UInt16?
    public var proto: String
    /// Where the packet came from: `wire/pcap` in a replay, `wire/nfq` in a worker (alerts and drops).
    public var pkt_src: String?
    /// The application-layer transaction the record belongs to (`http`, `tls`, `dns` events and alerts on
    /// a transaction).
    public var tx_id: Int?
    public var app_proto: String?
    public var alert: EveAlert?
    /// The application-layer object of an `http` event, or of an alert raised on an HTTP transaction.
    public var http: EveHTTP?
    /// The application-layer object of a `tls` event, or of an alert on a TLS flow.
    public var tls: EveTLS?
    /// The application-layer object of a `dns` event, or of an alert on a DNS transaction.
    public var dns: EveDNS?
    public var drop: EveDrop?
    /// The object of a `flow` event.
    public var flow: EveFlow?

    public init(
        timestamp: String, flow_id: UInt64?, pcap_cnt: UInt64? = nil, event_type: String, src_ip: String,
        src_port: UInt16?, dest_ip: String, dest_port: UInt16?, proto: String, tx_id: Int? = nil,
        app_proto: String? = nil, alert: EveAlert? = nil, http: EveHTTP? = nil, tls: EveTLS? = nil,
        dns: EveDNS? = nil, drop: EveDrop? = nil
    ) {
        self.timestamp = timestamp
        self.flow_id = flow_id
        self.pcap_cnt = pcap_cnt
        self.event_type = event_type
        self.src_ip = src_ip
        self.src_port = src_port
        self.dest_ip = dest_ip
        self.dest_port = dest_port
        self.proto = proto
        self.tx_id = tx_id
        self.app_proto = app_proto
        self.alert = alert
        self.http = http
        self.tls = tls
        self.dns = dns
        self.drop = drop
    }
}

/// The `alert` object of an EVE record.
public struct EveAlert: Codable, Hashable, Sendable {
    /// `allowed` or `blocked`.
    public var action: String
    public var gid: Int
    public var signature_id: Int
    public var rev: Int
    public var signature: String
    public var category: String
    public var severity: Int

    public init(action: String, gid: Int, signature_id: Int, rev: Int, signature: String, category: String, severity: Int) {
        self.action = action
        self.gid = gid
        self.signature_id = signature_id
        self.rev = rev
        self.signature = signature
        self.category = category
        self.severity = severity
    }
}

/// The `drop` object of an EVE record.
public struct EveDrop: Codable, Hashable, Sendable {
    public var len: Int
    public var ttl: Int
    public var ipid: Int?
    public var tcpseq: UInt32?
    public var tcpack: UInt32?
    public var tcpwin: Int?
    public var syn: Bool?
    public var ack: Bool?
    public var psh: Bool?
    public var rst: Bool?
    public var urg: Bool?
    public var fin: Bool?
    /// Why the packet was dropped: `rules`, `stateless`, `default`, `flow drop`, …
    public var reason: String

    public init(len: Int, ttl: Int, ipid: Int?, tcpseq: UInt32?, tcpack: UInt32?, tcpwin: Int?, flags: UInt8?, reason: String) {
        self.len = len
        self.ttl = ttl
        self.ipid = ipid
        self.tcpseq = tcpseq
        self.tcpack = tcpack
        self.tcpwin = tcpwin
        if let flags {
            syn = flags & 0x02 != 0
            ack = flags & 0x10 != 0
            psh = flags & 0x08 != 0
            rst = flags & 0x04 != 0
            urg = flags & 0x20 != 0
            fin = flags & 0x01 != 0
        }
        self.reason = reason
    }
}

/// The `http` object of an EVE record: Suricata's basic and extended fields, in its order (`hostname`,
/// `http_port`, `url`, `http_user_agent`, `xff`, `http_content_type`, `http_refer`, `http_method`, `protocol`,
/// `status`, `redirect`, `length`).
public struct EveHTTP: Codable, Hashable, Sendable {
    /// The normalized host (lower case, no port) from the request URI or the Host header.
    public var hostname: String?
    /// The port written in the Host header or URI, when there is one.
    public var http_port: Int?
    /// The request URI as sent.
    public var url: String?
    public var http_user_agent: String?
    /// The X-Forwarded-For request header.
    public var xff: String?
    /// The response Content-Type, up to the first `;`.
    public var http_content_type: String?
    public var http_refer: String?
    public var http_method: String?
    /// The request's protocol (`HTTP/1.1`).
    public var `protocol`: String?
    /// The response status code, when it is a number.
    public var status: Int?
    /// The response status as sent, when it is not a number.
    public var status_string: String?
    /// The response Location header.
    public var redirect: String?
    /// The response body's length on the wire (chunk framing included), 0 before a response.
    public var length: Int?

    public init(
        hostname: String? = nil, http_port: Int? = nil, url: String? = nil, http_user_agent: String? = nil,
        xff: String? = nil, http_content_type: String? = nil, http_refer: String? = nil, http_method: String? = nil,
        protocol: String? = nil, status: Int? = nil, status_string: String? = nil, redirect: String? = nil,
        length: Int? = nil
    ) {
        self.hostname = hostname
        self.http_port = http_port
        self.url = url
        self.http_user_agent = http_user_agent
        self.xff = xff
        self.http_content_type = http_content_type
        self.http_refer = http_refer
        self.http_method = http_method
        self.`protocol` = `protocol`
        self.status = status
        self.status_string = status_string
        self.redirect = redirect
        self.length = length
    }
}

/// The `tls` object of an EVE record, with Suricata's extended fields in its order: the server
/// certificate's `subject`, `issuerdn`, `serial` and `fingerprint`, the client's `sni`, the negotiated
/// `version`, the certificate's `notbefore`/`notafter`, then `ja3` and `ja3s`.
public struct EveTLS: Codable, Hashable, Sendable {
    /// `C=US, O=Example, CN=example.com`: the RDNs in certificate order.
    public var subject: String?
    public var issuerdn: String?
    /// The server resumed a session (no certificate was sent in TLS 1.2 or earlier).
    public var session_resumed: Bool?
    /// `00:8F:1A:…`: the serial number's bytes, upper-case hex separated by colons.
    public var serial: String?
    /// The SHA-1 of the certificate's DER, lower-case hex separated by colons.
    public var fingerprint: String?
    public var sni: String?
    /// `TLS 1.2`, `TLS 1.3`, `TLSv1`, `SSLv3`, `UNDETERMINED`, or `0x%04x` for others.
    public var version: String?
    /// `2024-01-15T10:30:45` (UTC, no fraction, no offset).
    public var notbefore: String?
    public var notafter: String?
    public var ja3: EveJA3?
    public var ja3s: EveJA3?
    /// What the TLS engine did with an intercepted connection (absent for TLS seen passively).
    public var inspection: EveTLSInspection?

    public init(
        subject: String? = nil, issuerdn: String? = nil, session_resumed: Bool? = nil, serial: String? = nil,
        fingerprint: String? = nil, sni: String? = nil, version: String? = nil, notbefore: String? = nil,
        notafter: String? = nil, ja3: EveJA3? = nil, ja3s: EveJA3? = nil
    ) {
        self.subject = subject
        self.issuerdn = issuerdn
        self.session_resumed = session_resumed
        self.serial = serial
        self.fingerprint = fingerprint
        self.sni = sni
        self.version = version
        self.notbefore = notbefore
        self.notafter = notafter
        self.ja3 = ja3
        self.ja3s = ja3s
    }
}

/// What the TLS engine did with one intercepted connection and why: Rampart's addition to the `tls`
/// object, written once per connection when the engine has decided.
public struct EveTLSInspection: Codable, Hashable, Sendable {
    /// `egress` (a leaf minted by the inspection CA) or `inbound` (a configured server certificate).
    public var mode: String
    /// `decrypted` (the connection was decrypted and relayed), `drop` or `reject`.
    public var action: String
    /// Why: `inspected`, `sni_mismatch`, `untrusted_certificate`, `revoked`, `revocation_unknown`,
    /// `rules` (a `tls.sni` or other stage-2 rule), `not_tls`, `upstream_unreachable`, `handshake_failed`.
    public var reason: String
    /// Details for people: the verification failure, the revocation responder's answer.
    public var detail: String?
    /// `good`, `revoked` or `unknown` when revocation was checked.
    public var revocation_status: String?
    /// `ocsp`, `crl` or `none`: what answered the revocation check.
    public var revocation_source: String?
    /// The negotiated ALPN protocol toward the server, if any.
    public var alpn: String?

    public init(
        mode: String, action: String, reason: String, detail: String? = nil, revocation_status: String? = nil,
        revocation_source: String? = nil, alpn: String? = nil
    ) {
        self.mode = mode
        self.action = action
        self.reason = reason
        self.detail = detail
        self.revocation_status = revocation_status
        self.revocation_source = revocation_source
        self.alpn = alpn
    }
}

/// A JA3 or JA3S fingerprint: the MD5 `hash` (lower-case hex) of the `string`.
public struct EveJA3: Codable, Hashable, Sendable {
    public var hash: String
    public var string: String

    public init(hash: String, string: String) {
        self.hash = hash
        self.string = string
    }
}

/// The `dns` object of an EVE record, Suricata's "version 2" format: a query (`type` `query`: `id`,
/// `rrname`, `rrtype`, `tx_id`) or an answer (`version` 2, `type` `answer`, `id`, `flags` in hex, the flag
/// booleans, the first question's `rrname` and `rrtype`, `rcode`, `answers`).
public struct EveDNS: Codable, Hashable, Sendable {
    /// 2 for an answer; absent for a query.
    public var version: Int?
    /// `query` or `answer`.
    public var type: String
    /// The DNS message ID.
    public var id: Int
    /// The header flags in lower-case hex without `0x` (`8180`); answers only.
    public var flags: String?
    public var qr: Bool?
    public var aa: Bool?
    public var tc: Bool?
    public var rd: Bool?
    public var ra: Bool?
    public var z: Bool?
    public var rrname: String?
    public var rrtype: String?
    /// The transaction's number in its flow; queries only.
    public var tx_id: Int?
    /// `NOERROR`, `NXDOMAIN`, …; answers only.
    public var rcode: String?
    public var answers: [EveDNSAnswer]?

    public init(
        version: Int? = nil, type: String, id: Int, flags: String? = nil, qr: Bool? = nil, aa: Bool? = nil,
        tc: Bool? = nil, rd: Bool? = nil, ra: Bool? = nil, z: Bool? = nil, rrname: String? = nil,
        rrtype: String? = nil, tx_id: Int? = nil, rcode: String? = nil, answers: [EveDNSAnswer]? = nil
    ) {
        self.version = version
        self.type = type
        self.id = id
        self.flags = flags
        self.qr = qr
        self.aa = aa
        self.tc = tc
        self.rd = rd
        self.ra = ra
        self.z = z
        self.rrname = rrname
        self.rrtype = rrtype
        self.tx_id = tx_id
        self.rcode = rcode
        self.answers = answers
    }
}

/// One resource record of a DNS answer in EVE (`rdata` is absent for types Rampart does not decode).
public struct EveDNSAnswer: Codable, Hashable, Sendable {
    public var rrname: String
    public var rrtype: String
    public var ttl: UInt32
    public var rdata: String?

    public init(rrname: String, rrtype: String, ttl: UInt32, rdata: String? = nil) {
        self.rrname = rrname
        self.rrtype = rrtype
        self.ttl = ttl
        self.rdata = rdata
    }
}
