import Testing
@testable import DataPlane
import Shared

@Suite("TLS inspection scopes")
struct TLSScopeMatcherTests {
    static func section(_ configurations: [[ServerCertificateScope]]) -> TLSInspectionSection {
        TLSInspectionSection(
            configurationArn: "arn:tls", sessionHolding: false,
            configurations: configurations.map {
                TLSInspectionEntry(scopes: $0, authority: nil, serverCertificates: [], revokedStatusAction: nil, unknownStatusAction: nil)
            }
        )
    }

    static func match(_ matcher: TLSScopeMatcher, _ client: String, _ clientPort: UInt16, _ server: String, _ serverPort: UInt16, _ proto: UInt8 = 6) -> Int? {
        matcher.configuration(
            client: IPAddress(client)!, clientPort: clientPort, server: IPAddress(server)!, serverPort: serverPort, ipProtocol: proto
        )
    }

    @Test func everyMemberSetMustMatchAndOmittedMembersMatchAll() throws {
        let scope = ServerCertificateScope(
            Sources: [Address(AddressDefinition: "198.18.0.0/24")], Destinations: [Address(AddressDefinition: "198.19.0.2/32")],
            SourcePorts: [PortRange(FromPort: 1024, ToPort: 65535)], DestinationPorts: [PortRange(FromPort: 443, ToPort: 443)],
            Protocols: [6]
        )
        let matcher = try TLSScopeMatcher(Self.section([[scope]]))
        #expect(Self.match(matcher, "198.18.0.2", 40000, "198.19.0.2", 443) == 0)
        #expect(Self.match(matcher, "198.18.1.2", 40000, "198.19.0.2", 443) == nil, "source outside")
        #expect(Self.match(matcher, "198.18.0.2", 40000, "198.19.0.3", 443) == nil, "destination outside")
        #expect(Self.match(matcher, "198.18.0.2", 80, "198.19.0.2", 443) == nil, "source port outside")
        #expect(Self.match(matcher, "198.18.0.2", 40000, "198.19.0.2", 8443) == nil, "destination port outside")
        #expect(Self.match(matcher, "198.18.0.2", 40000, "198.19.0.2", 443, 17) == nil, "protocol outside")

        let open = try TLSScopeMatcher(Self.section([[ServerCertificateScope(DestinationPorts: [PortRange(FromPort: 443, ToPort: 443)])]]))
        #expect(Self.match(open, "10.0.0.1", 1, "203.0.113.9", 443) == 0)
        #expect(Self.match(open, "2001:db8::1", 1, "2001:db8::2", 443) == 0, "no address members: IPv6 too")
    }

    @Test func firstConfigurationWins() throws {
        let narrow = ServerCertificateScope(Destinations: [Address(AddressDefinition: "198.19.0.2/32")])
        let wide = ServerCertificateScope(Destinations: [Address(AddressDefinition: "198.19.0.0/16")])
        let matcher = try TLSScopeMatcher(Self.section([[narrow], [wide]]))
        #expect(Self.match(matcher, "198.18.0.2", 5, "198.19.0.2", 443) == 0)
        #expect(Self.match(matcher, "198.18.0.2", 5, "198.19.7.7", 443) == 1)
        #expect(try TLSScopeMatcher(nil).isEmpty)
    }

    @Test func aBadCIDRIsNamed() {
        let bad = ServerCertificateScope(Sources: [Address(AddressDefinition: "198.18.0.0/33")])
        #expect(throws: TLSInspectionError.self) { try TLSScopeMatcher(Self.section([[bad]])) }
        do {
            _ = try TLSScopeMatcher(Self.section([[bad]]))
        } catch {
            #expect(error.message.contains("Scopes.Sources") && error.message.contains("198.18.0.0/33"))
        }
    }
}
