import Testing
@testable import DataPlane
import Rules
import Shared

@Suite("App layer: TLS")
struct AppLayerTLSTests {
    @Test func clientHelloFedByteByByteGivesSNIAndJA3() throws {
        var state = AppLayerState(transport: 6, serverPort: 8443)
        var records: [AppLayerRecord] = []
        for byte in AppLayerFixture.records(TLSFixtures.clientHello) { records += state.feed([byte], .toServer) }
        #expect(state.detected == .tls)
        try #require(records.count == 1)
        let tx = records[0].transaction
        #expect(records[0].kind == .newTransaction && tx.appProtocol == .tls && tx.direction == .toServer && tx.id == 0)
        #expect(tx.text(.tlsSNI) == "www.rampart.test")
        #expect(tx.text(.ja3String) == TLSFixtures.ja3String)
        #expect(tx.text(.ja3Hash) == TLSFixtures.ja3Hash)
        #expect(tx.tlsVersion == 0x0304, "the highest supported_versions entry, GREASE left out")
        #expect(records[0].eve.isEmpty)
        guard case .tls(let metadata) = records[0].metadata else {
            Issue.record("the handshake so far, for alerts")
            return
        }
        #expect(metadata.sni == "www.rampart.test" && metadata.ja3?.hash == TLSFixtures.ja3Hash)
    }

    @Test func clientHelloFragmentedOverRecordsAndSegments() throws {
        var state = AppLayerState(transport: 6, serverPort: 443)
        let stream = AppLayerFixture.records(TLSFixtures.clientHello, fragment: 100)
        let records = AppLayerFixture.feed(&state, stream, .toServer, pieces: [3, 7, 150, 1])
        try #require(records.count == 1)
        #expect(records[0].transaction.text(.ja3Hash) == TLSFixtures.ja3Hash)
    }

    @Test func tls12ServerFlightGivesJA3SCertificateAndOneEveRecord() throws {
        var state = AppLayerState(transport: 6, serverPort: 443)
        _ = state.feed(AppLayerFixture.records(TLSFixtures.clientHello), .toServer)
        let flight = TLSFixtures.serverHello12 + TLSFixtures.certificateMessage([TLSFixtures.leafDER, TLSFixtures.caDER])
            + TLSFixtures.serverHelloDone
        let records = AppLayerFixture.feed(&state, AppLayerFixture.records(flight, fragment: 300), .toClient, pieces: [2, 500])
        try #require(records.count == 2)
        let hello = records[0].transaction
        #expect(records[0].kind == .update && hello.direction == .toClient && hello.id == 0)
        #expect(hello.text(.ja3sString) == TLSFixtures.ja3s12String)
        #expect(hello.text(.ja3sHash) == TLSFixtures.ja3s12Hash)
        #expect(hello.tlsVersion == 0x0303)
        #expect(records[0].eve.isEmpty)

        let certificate = records[1].transaction
        #expect(certificate.progress == 2 && certificate.previousProgress == 1, "after the ServerHello's part")
        #expect(certificate.text(.ja3sHash) == TLSFixtures.ja3s12Hash, "holding the ServerHello's buffers too")
        #expect(certificate.text(.tlsCertSubject) == TLSFixtures.leafSubject)
        #expect(certificate.text(.tlsCertIssuer) == TLSFixtures.leafIssuer)
        #expect(certificate.text(.tlsCertSerial) == TLSFixtures.leafSerial)
        #expect(certificate.text(.tlsCertFingerprint) == TLSFixtures.leafFingerprint)
        #expect(certificate.tlsVersion == 0x0303)

        let eve = try #require(records[1].tls)
        #expect(eve == EveTLS(
            subject: TLSFixtures.leafSubject, issuerdn: TLSFixtures.leafIssuer, serial: TLSFixtures.leafSerial,
            fingerprint: TLSFixtures.leafFingerprint, sni: "www.rampart.test", version: "TLS 1.2",
            notbefore: TLSFixtures.leafNotBefore, notafter: TLSFixtures.leafNotAfter,
            ja3: EveJA3(hash: TLSFixtures.ja3Hash, string: TLSFixtures.ja3String),
            ja3s: EveJA3(hash: TLSFixtures.ja3s12Hash, string: TLSFixtures.ja3s12String)
        ))
        #expect(state.feed(AppLayerFixture.records([1, 2, 3], type: 23), .toClient).isEmpty)
        #expect(state.isFinished)
        #expect(state.finish().isEmpty, "already logged")
    }

    @Test func theServersPartsCarryTheClientHelloForRulesOnBothSides() throws {
        var state = AppLayerState(transport: 6, serverPort: 443)
        _ = state.feed(AppLayerFixture.records(TLSFixtures.clientHello), .toServer)
        let flight = TLSFixtures.serverHello12 + TLSFixtures.certificateMessage([TLSFixtures.leafDER])
        let records = state.feed(AppLayerFixture.records(flight), .toClient)
        try #require(records.count == 2)
        for record in records {
            #expect(record.transaction.requestValues[InspectionBuffer.tlsSNI.index] == [Array("www.rampart.test".utf8)])
        }
    }

    @Test func tls13ServerHelloIsTheLastCleartextAndIsLogged() throws {
        var state = AppLayerState(transport: 6, serverPort: 443)
        _ = state.feed(AppLayerFixture.records(TLSFixtures.clientHello), .toServer)
        let records = state.feed(AppLayerFixture.records(TLSFixtures.serverHello13)
            + AppLayerFixture.records([1], type: 20) + AppLayerFixture.records(Array(repeating: 0xAB, count: 40), type: 23), .toClient)
        try #require(records.count == 1)
        #expect(records[0].transaction.tlsVersion == 0x0304)
        #expect(records[0].transaction.text(.ja3sString) == TLSFixtures.ja3s13String)
        #expect(records[0].transaction.text(.ja3sHash) == TLSFixtures.ja3s13Hash)
        let eve = try #require(records[0].tls)
        #expect(eve.version == "TLS 1.3" && eve.subject == nil && eve.sni == "www.rampart.test")
        #expect(state.isFinished)
    }

    @Test func resumedSessionIsLoggedWhenTheServerChangesCipherSpec() throws {
        var state = AppLayerState(transport: 6, serverPort: 443)
        _ = state.feed(AppLayerFixture.records(TLSFixtures.clientHello), .toServer)
        let records = state.feed(AppLayerFixture.records(TLSFixtures.serverHello12) + AppLayerFixture.records([1], type: 20), .toClient)
        try #require(records.count == 2)
        #expect(records[1].kind == .logOnly)
        #expect(records[1].tls?.session_resumed == true && records[1].tls?.version == "TLS 1.2")
    }

    @Test func theConnectionIsEncryptedFromTheFirstApplicationDataRecordOfEitherSide() {
        var state = AppLayerState(transport: 6, serverPort: 443)
        _ = state.feed(AppLayerFixture.records(TLSFixtures.clientHello), .toServer)
        _ = state.feed(AppLayerFixture.records(TLSFixtures.serverHello12 + TLSFixtures.serverHelloDone), .toClient)
        // The client's key exchange, ChangeCipherSpec and encrypted Finished are still handshake records.
        _ = state.feed(AppLayerFixture.records([16, 0, 0, 2, 1, 2]) + AppLayerFixture.records([1], type: 20)
            + AppLayerFixture.records(Array(repeating: 0x5A, count: 32)), .toServer)
        #expect(!state.isEncrypted && !state.isFinished)
        _ = state.feed(AppLayerFixture.records(Array(repeating: 0x5A, count: 64), type: 23), .toServer)
        #expect(state.isEncrypted)
        #expect(state.isFinished, "nothing more is read in either direction")
    }

    @Test func certificateWithVersionFieldParses() throws {
        let summary = try #require(X509Summary(der: TLSFixtures.caDER))
        #expect(summary.subject == "C=US, O=Rampart Test CA, CN=Rampart Test Root")
        #expect(summary.issuer == summary.subject)
        #expect(summary.serial == "01")
        #expect(summary.fingerprint == TLSFixtures.caFingerprint)
        #expect(summary.notBefore == "2026-11-22T05:04:21" && summary.notAfter == "2036-11-19T05:04:21")
    }

    @Test func damagedCertificatesAreRejected() {
        #expect(X509Summary(der: []) == nil)
        #expect(X509Summary(der: Array(TLSFixtures.leafDER.prefix(200))) == nil)
        var wrongTag = TLSFixtures.leafDER
        wrongTag[0] = 0x31
        #expect(X509Summary(der: wrongTag) == nil)
        #expect(X509Summary(der: [0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]) == nil)
    }

    @Test func onlyAClientHelloIsLoggedAtTheEndOfTheFlow() throws {
        var state = AppLayerState(transport: 6, serverPort: 443)
        _ = state.feed(AppLayerFixture.records(TLSFixtures.clientHello), .toServer)
        let records = state.finish()
        try #require(records.count == 1)
        #expect(records[0].kind == .logOnly)
        #expect(records[0].tls?.version == "UNDETERMINED" && records[0].tls?.sni == "www.rampart.test")
        #expect(records[0].tls?.ja3?.hash == TLSFixtures.ja3Hash)
    }

    @Test func greaseValues() {
        #expect(JA3.isGREASE(0x0A0A) && JA3.isGREASE(0xFAFA) && JA3.isGREASE(0x3A3A))
        #expect(!JA3.isGREASE(0x0A1A) && !JA3.isGREASE(0x1301) && !JA3.isGREASE(0x0000))
    }

    @Test(arguments: [(UInt16(0x0301), "TLSv1"), (0x0302, "TLS 1.1"), (0x0303, "TLS 1.2"), (0x0304, "TLS 1.3"),
                      (0x0300, "SSLv3"), (0x7F1C, "TLS 1.3 draft-28"), (0x1234, "0x1234")])
    func versionNames(version: UInt16, name: String) {
        #expect(TLSVersionName.eve(version) == name)
    }

    @Test func nonHandshakeRecordAtTheStartIsNotTLS() {
        var state = AppLayerState(transport: 6, serverPort: 443)
        #expect(state.feed(AppLayerFixture.records([1, 2, 3, 4, 5, 6], type: 23), .toServer).isEmpty)
        #expect(state.detected == nil)
    }
}
