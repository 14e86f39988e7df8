import NIOCore
import Shared
import Testing
@testable import DataPlane

@Suite("Socket address conversion")
struct SocketAddressConversionTests {
    @Test(arguments: ["198.18.0.2", "0.0.0.0", "255.255.255.255", "2001:db8::1", "::ffff:198.19.0.2", "fe80::1:2:3:4"])
    func readsTheSameAddressAsItsText(text: String) throws {
        let address = try SocketAddress(ipAddress: text, port: 4433)
        #expect(address.rampartAddress == IPAddress(text))
        #expect(address.rampartAddress?.family == (text.contains(":") ? .v6 : .v4))
    }

    @Test func anyPortKeepsTheAddress() throws {
        for text in ["198.18.0.2", "2001:db8::7"] {
            let source = try #require(try SocketAddress(ipAddress: text, port: 51000).withAnyPort)
            #expect(source.port == 0)
            #expect(source.rampartAddress == IPAddress(text))
        }
    }

    @Test func unixSocketsHaveNoAddress() throws {
        let address = try SocketAddress(unixDomainSocketPath: "/tmp/rampart.sock")
        #expect(address.rampartAddress == nil)
        #expect(address.withAnyPort == nil)
    }
}
