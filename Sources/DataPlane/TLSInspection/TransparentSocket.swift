import Glibc
import NIOCore

/// The Linux socket options of transparent proxying: `IP_TRANSPARENT` / `IPV6_TRANSPARENT` let a socket
/// accept connections TPROXY hands it for addresses that are not the host's, and connect from an
/// address that is not the host's (the client's, toward the server).
enum TransparentSocket {
    /// `IP_TRANSPARENT` from `linux/in.h`.
    static let ipTransparent: CInt = 19
    /// `IPV6_TRANSPARENT` from `linux/in6.h`.
    static let ipv6Transparent: CInt = 75

    /// The option for a socket of `address`'s family.
    static func option(for address: SocketAddress) -> ChannelOptions.Types.SocketOption {
        switch address {
        case .v6: .socket(SocketOptionLevel(IPPROTO_IPV6), SocketOptionName(ipv6Transparent))
        default: .socket(SocketOptionLevel(IPPROTO_IP), SocketOptionName(ipTransparent))
        }
    }
}
