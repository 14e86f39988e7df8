import Foundation
import Testing
@testable import DataPlane
import Rules
import Shared

@Suite("App layer: EVE objects")
struct AppLayerEveTests {
    static func event(_ type: String, tx: Int? = 0) -> EveEvent {
        EveEvent(
            timestamp: "2023-11-14T22:13:20.250000+0000", flow_id: 9, event_type: type, src_ip: "10.0.0.1",
            src_port: 40000, dest_ip: "10.0.0.2", dest_port: 80, proto: "TCP", tx_id: tx, app_proto: type
        )
    }

    @Test func httpObjectInSuricataOrder() throws {
        var event = Self.event("http")
        AppLayerEve.http(EveHTTP(
            hostname: "www.example.com", http_port: 8080, url: "/a?b", http_user_agent: "curl/8.5",
            http_content_type: "text/html", http_refer: "http://r/", http_method: "GET", protocol: "HTTP/1.1",
            status: 200, redirect: "/next", length: 12
        )).attach(to: &event)
        let line = EveJSON.line(event)
        #expect(line == #"{"timestamp":"2023-11-14T22:13:20.250000+0000","flow_id":9,"event_type":"http","src_ip":"10.0.0.1","src_port":40000,"dest_ip":"10.0.0.2","dest_port":80,"proto":"TCP","tx_id":0,"app_proto":"http","http":{"hostname":"www.example.com","http_port":8080,"url":"/a?b","http_user_agent":"curl/8.5","http_content_type":"text/html","http_refer":"http://r/","http_method":"GET","protocol":"HTTP/1.1","status":200,"redirect":"/next","length":12}}"#)
        #expect(try JSONDecoder().decode(EveEvent.self, from: Data(line.utf8)) == event)
    }

    @Test func tlsObjectInSuricataOrder() throws {
        var event = Self.event("tls")
        let tls = EveTLS(
            subject: "CN=a", issuerdn: "CN=b", serial: "01", fingerprint: "aa:bb", sni: "a.test", version: "TLS 1.2",
            notbefore: "2026-01-01T00:00:00", notafter: "2027-01-01T00:00:00",
            ja3: EveJA3(hash: "h1", string: "s1"), ja3s: EveJA3(hash: "h2", string: "s2")
        )
        AppLayerEve.tls(tls).attach(to: &event)
        let line = EveJSON.line(event)
        #expect(line.hasSuffix(#""tls":{"subject":"CN=a","issuerdn":"CN=b","serial":"01","fingerprint":"aa:bb","sni":"a.test","version":"TLS 1.2","notbefore":"2026-01-01T00:00:00","notafter":"2027-01-01T00:00:00","ja3":{"hash":"h1","string":"s1"},"ja3s":{"hash":"h2","string":"s2"}}}"#))
        #expect(try JSONDecoder().decode(EveEvent.self, from: Data(line.utf8)) == event)
    }

    @Test func dnsQueryAndAnswerInSuricataOrder() throws {
        var query = Self.event("dns")
        query.dns = EveDNS(type: "query", id: 6699, rrname: "www.example.com", rrtype: "A", tx_id: 0)
        #expect(EveJSON.line(query).hasSuffix(#""dns":{"type":"query","id":6699,"rrname":"www.example.com","rrtype":"A","tx_id":0}}"#))

        var state = AppLayerState(transport: 17, serverPort: 53)
        let answer = try #require(state.feed(AppLayerDNSTests.response, .toClient).first)
        var event = Self.event("dns", tx: answer.transaction.id)
        answer.eve.first?.attach(to: &event)
        let line = EveJSON.line(event)
        #expect(line.hasSuffix(#""dns":{"version":2,"type":"answer","id":6699,"flags":"8180","qr":true,"rd":true,"ra":true,"rrname":"www.example.com","rrtype":"A","rcode":"NOERROR","answers":[{"rrname":"www.example.com","rrtype":"CNAME","ttl":3600,"rdata":"example.com"},{"rrname":"example.com","rrtype":"A","ttl":300,"rdata":"93.184.216.34"},{"rrname":"example.com","rrtype":"AAAA","ttl":300,"rdata":"2606:2800:0220:0001:0248:1893:25c8:1946"}]}}"#))
        #expect(try JSONDecoder().decode(EveEvent.self, from: Data(line.utf8)) == event)
    }

    @Test func eventTypes() {
        #expect(AppLayerEve.http(EveHTTP()).eventType == "http")
        #expect(AppLayerEve.tls(EveTLS()).eventType == "tls")
        #expect(AppLayerEve.dns(EveDNS(type: "query", id: 1)).eventType == "dns")
    }

    @Test func bytesOutsideASCIIAreEscapedAsSuricataDoes() {
        #expect(EveText.string([0x61, 0xFF, 0x0A, 0x62]) == "a\\xff\nb")
        #expect(EveText.colonHex([0x00, 0xAB], upper: true) == "00:AB")
    }

    @Test func eventsWithoutApplicationObjectsAreUnchanged() {
        #expect(!EveJSON.line(EveTests.alertEvent).contains("tx_id"))
        #expect(!EveJSON.line(EveTests.dropEvent).contains("\"http\""))
    }
}
