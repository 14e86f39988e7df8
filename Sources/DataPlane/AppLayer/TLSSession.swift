import Rules
import Shared

/// The TLS state of one connection: one transaction (id 0) reported in parts. The ClientHello gives
/// `tls.sni`, `ja3.*` and the client's `tls.version` (`.toServer`); the ServerHello gives `ja3s.*` and the
/// negotiated version, and in TLS 1.2 and earlier the Certificate message gives the first certificate's
/// `tls.cert_*` fields (`.toClient`). TLS 1.3 encrypts everything after the ServerHello, so a direction's
/// handshake messages stop being read once they have nothing more to say in cleartext; its records are
/// still followed up to the first application-data record of either side, from which on the connection is
/// `encrypted` (Suricata's default `encryption-handling`: the raw bytes of the connection are no longer
/// inspected by content rules).
///
/// The EVE `tls` record is written once per flow, when Suricata would consider the handshake logged:
/// after the certificate, after a TLS 1.3 ServerHello, after a ServerHelloDone without certificate, or when
/// the server switches to encrypted records without a certificate (a resumed session); else at the end of
/// the flow if a hello was seen.
struct TLSSession {
    private var client = TLSRecordReader()
    private var server = TLSRecordReader()
    private var eve = EveTLS()
    private var negotiatedVersion: UInt16?
    private var reported = false
    private var logged = false
    private var sawServerHello = false
    /// An application-data record was seen in either direction.
    private(set) var encrypted = false
    /// The ClientHello's buffers, carried on the server's parts for rules that inspect both sides.
    private var clientValues: [[[UInt8]]] = []
    /// The ServerHello's buffers, carried on the Certificate part so that one rule may inspect both.
    private var serverHelloValues: [[[UInt8]]]?

    func isClosed(_ direction: FlowDirection) -> Bool {
        direction == .toServer ? client.isClosed : server.isClosed
    }

    mutating func feed(_ input: ArraySlice<UInt8>, direction: FlowDirection) -> [AppLayerRecord] {
        var input = input
        var records: [AppLayerRecord] = []
        if direction == .toServer {
            while let event = client.next(&input) { handleClient(event, into: &records) }
        } else {
            while let event = server.next(&input) { handleServer(event, into: &records) }
        }
        return records
    }

    /// The flow ended: logs the handshake if it was not logged and a hello was seen.
    mutating func finish() -> [AppLayerRecord] {
        var records: [AppLayerRecord] = []
        if !logged, reported { logOnly(into: &records) }
        client.close()
        server.close()
        return records
    }

    private mutating func handleClient(_ event: TLSRecordReader.Event, into records: inout [AppLayerRecord]) {
        switch event {
        case .handshake(1, let body):
            guard let hello = TLSClientHello(body) else {
                client.close()
                return
            }
            var transaction = AppTransaction(appProtocol: .tls, direction: .toServer, id: 0, tlsVersion: hello.offeredVersion)
            if let name = hello.serverName {
                transaction.set(.tlsSNI, name)
                eve.sni = EveText.string(name)
            }
            let ja3 = hello.ja3
            let hash = ja3.hash
            transaction.set(.ja3String, ja3.text)
            transaction.set(.ja3Hash, Array(hash.utf8))
            eve.ja3 = EveJA3(hash: hash, string: ja3.string)
            report(transaction, into: &records)
            // The rest of the client's handshake is key exchange or encrypted: nothing more to read.
            client.skipHandshakes()
        case .handshake:
            break
        case .changeCipherSpec:
            client.skipHandshakes()
        case .applicationData:
            startEncryption()
        case .failed:
            client.close()
        }
    }

    private mutating func handleServer(_ event: TLSRecordReader.Event, into records: inout [AppLayerRecord]) {
        switch event {
        case .handshake(2, let body):
            guard let hello = TLSServerHello(body) else {
                server.close()
                return
            }
            if hello.isHelloRetryRequest { return }
            sawServerHello = true
            negotiatedVersion = hello.version
            eve.version = TLSVersionName.eve(hello.version)
            var transaction = AppTransaction(appProtocol: .tls, direction: .toClient, id: 0, tlsVersion: hello.version)
            let ja3s = hello.ja3s
            let hash = ja3s.hash
            transaction.set(.ja3sString, ja3s.text)
            transaction.set(.ja3sHash, Array(hash.utf8))
            eve.ja3s = EveJA3(hash: hash, string: ja3s.string)
            serverHelloValues = transaction.values
            let encryptedFromHere = TLSVersionName.isTLS13(hello.version)
            report(transaction, logging: encryptedFromHere, into: &records)
            if encryptedFromHere { server.skipHandshakes() }
        case .handshake(11, let body):
            // The part goes from the ServerHello's progress (1) to the certificate's (2), holding both.
            var transaction = AppTransaction(
                appProtocol: .tls, direction: .toClient, id: 0, tlsVersion: negotiatedVersion, progress: 2,
                previousProgress: serverHelloValues == nil ? 0 : 1
            )
            if let serverHelloValues { transaction.values = serverHelloValues }
            if let certificate = Self.firstCertificate(body).flatMap({ X509Summary(der: $0) }) {
                transaction.set(.tlsCertSubject, Array(certificate.subject.utf8))
                transaction.set(.tlsCertIssuer, Array(certificate.issuer.utf8))
                transaction.set(.tlsCertSerial, Array(certificate.serial.utf8))
                transaction.set(.tlsCertFingerprint, Array(certificate.fingerprint.utf8))
                eve.describe(certificate)
            }
            report(transaction, logging: true, into: &records)
            server.skipHandshakes()
        case .handshake(14, _):
            // ServerHelloDone without a certificate (anonymous or PSK key exchange).
            if !logged { logOnly(into: &records) }
            server.skipHandshakes()
        case .handshake:
            break
        case .changeCipherSpec, .applicationData:
            if sawServerHello, !logged {
                eve.session_resumed = true
                logOnly(into: &records)
            }
            if case .applicationData = event { startEncryption() } else { server.skipHandshakes() }
        case .failed:
            server.close()
        }
    }

    /// The first application-data record: nothing more is read in either direction.
    private mutating func startEncryption() {
        encrypted = true
        client.close()
        server.close()
    }

    /// The first certificate's DER in a TLS 1.2 Certificate message body.
    private static func firstCertificate(_ body: [UInt8]) -> [UInt8]? {
        var reader = ByteReader(body)
        guard var list = reader.subU24(), let first = list.subU24() else { return nil }
        return first.rest
    }

    private mutating func report(_ transaction: AppTransaction, logging: Bool = false, into records: inout [AppLayerRecord]) {
        var transaction = transaction
        if transaction.direction == .toServer {
            clientValues = transaction.values
        } else {
            transaction.requestValues = clientValues
        }
        let kind: AppLayerRecord.Kind = reported ? .update : .newTransaction
        reported = true
        var eveObjects: [AppLayerEve] = []
        if logging, !logged {
            logged = true
            eveObjects = [.tls(eveRecord)]
        }
        records.append(AppLayerRecord(kind: kind, transaction: transaction, eve: eveObjects, metadata: .tls(eveRecord)))
    }

    private mutating func logOnly(into records: inout [AppLayerRecord]) {
        logged = true
        records.append(AppLayerRecord(
            kind: .logOnly, transaction: AppTransaction(appProtocol: .tls, direction: .toClient, id: 0),
            eve: [.tls(eveRecord)]
        ))
    }

    private var eveRecord: EveTLS {
        var record = eve
        if record.version == nil { record.version = TLSVersionName.eve(nil) }
        return record
    }
}
