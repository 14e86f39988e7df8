import Shared
import Testing

@Suite("IP addresses and CIDRs")
struct IPAddressTests {
    @Test(arguments: [
        ("198.18.0.2", "198.18.0.2"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
        ("::1", "::1"), ("2001:db8::1", "2001:db8::1"), ("2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("::ffff:192.0.2.1", "::ffff:c000:201"), ("fe80::", "fe80::"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
    ])
    func parsesAndFormats(text: String, canonical: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.description == canonical)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01234.1.1.1", "1::2::3", "12345::", "g::1", "1:2:3:4:5:6:7:8:9", "a.b.c.d",
        "bench.test", "allowed.test", "fe80::1%eth0", " 1.2.3.4", "1.2.3.4\n", "\u{FF11}.2.3.4",
    ])
    func rejectsMalformed(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func fromNetworkOrderBytes() {
        #expect(IPAddress(networkOrder: [198, 18, 0, 2]) == IPAddress("198.18.0.2"))
        #expect(IPAddress(networkOrder: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]) == IPAddress("2001:db8::1"))
        #expect(IPAddress(networkOrder: [UInt8](repeating: 0, count: 16))?.family == .v6)
        #expect(IPAddress(networkOrder: [1, 2, 3]) == nil)
        #expect(IPAddress(networkOrder: [UInt8]()) == nil)
    }

    @Test func cidrContainment() throws {
        let network = try #require(CIDR("198.18.0.0/15"))
        #expect(network.contains(try #require(IPAddress("198.19.255.255"))))
        #expect(!network.contains(try #require(IPAddress("198.20.0.0"))))
        #expect(!network.contains(try #require(IPAddress("::1"))))
        let v6 = try #require(CIDR("2001:db8::/32"))
        #expect(v6.contains(try #require(IPAddress("2001:db8:ffff::1"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db9::1"))))
        #expect(CIDR("10.1.2.3/8")?.description == "10.0.0.0/8")
        #expect(CIDR.allV4.contains(try #require(IPAddress("8.8.8.8"))))
        #expect(CIDR("10.0.0.0/33") == nil)
        #expect(CIDR("10.0.0.0/") == nil)
        #expect(CIDR("::/129") == nil)
        #expect(CIDR("::/0")?.contains(try #require(IPAddress("::1"))) == true)
    }
}
