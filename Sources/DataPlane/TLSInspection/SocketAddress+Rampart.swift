import NIOCore
import Shared

extension SocketAddress {
    /// The address as an ``IPAddress``, read from the socket address itself (no text round trip); nil for
    /// a Unix domain address. An IPv4-mapped IPv6 address stays IPv6, as its text would.
    var rampartAddress: IPAddress? {
        let isV4: Bool
        switch self {
        case .v4: isV4 = true
        case .v6: isV4 = false
        case .unixDomainSocket: return nil
        }
        // Linux's layouts: sockaddr_in has the address at byte 4, sockaddr_in6 at byte 8, in network order.
        return withSockAddr { pointer, length -> IPAddress? in
            let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(pointer), count: length)
            guard length >= (isV4 ? 8 : 24) else { return nil }
            if isV4 { return IPAddress(v4: Self.bigEndian(bytes[4..<8])) }
            return IPAddress(v6High: Self.bigEndian(bytes[8..<16]), low: Self.bigEndian(bytes[16..<24]))
        }
    }

    /// The same address with port 0 (any port): the source a transparent socket binds to.
    var withAnyPort: SocketAddress? {
        guard port != nil else { return nil }
        var address = self
        address.port = 0
        return address
    }

    private static func bigEndian<Integer: FixedWidthInteger & UnsignedInteger>(_ bytes: Slice<UnsafeRawBufferPointer>) -> Integer {
        bytes.reduce(Integer.zero) { $0 << 8 | Integer($1) }
    }
}
