import NIOCore
import Shared

extension SocketAddress {
    /// The address as an ``IPAddress``, read from the socket address itself (no text round trip); nil for
    /// a Unix domain address. An IPv4-mapped IPv6 address stays IPv6, as its text would.
    var rampartAddress: IPAddress? {
        // Linux's layouts: sockaddr_in has its 4 address bytes at byte 4, sockaddr_in6 its 16 at byte 8.
        let range: Range<Int>
        switch self {
        case .v4: range = 4..<8
        case .v6: range = 8..<24
        case .unixDomainSocket: return nil
        }
        return withSockAddr { pointer, length -> IPAddress? in
            guard length >= range.upperBound else { return nil }
            return IPAddress(networkOrder: UnsafeRawBufferPointer(start: UnsafeRawPointer(pointer), count: length)[range])
        }
    }

    /// The same address with port 0 (any port): the source a transparent socket binds to.
    var withAnyPort: SocketAddress? {
        guard port != nil else { return nil }
        var address = self
        address.port = 0
        return address
    }
}
