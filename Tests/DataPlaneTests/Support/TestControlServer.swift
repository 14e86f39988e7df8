import Foundation
import Glibc
@testable import DataPlane
import Shared

struct TestSocketError: Error, CustomStringConvertible {
    var description: String
}

/// A control-plane stand-in: a listening Unix stream socket at a temporary path.
final class TestControlServer {
    let path: String
    private let listener: Int32

    init(path: String = "/tmp/rampart-dp-\(UUID().uuidString.prefix(8)).sock") throws {
        self.path = path
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw TestSocketError(description: "socket") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(listener, 4) == 0 else { throw TestSocketError(description: "bind/listen \(path)") }
    }

    deinit {
        close(listener)
        unlink(path)
    }

    /// Waits up to `timeout` seconds for the worker to connect.
    func accept(timeout: Double = 10) throws -> TestConnection {
        var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) > 0 else { throw TestSocketError(description: "no connection within \(timeout) s") }
        let descriptor = Glibc.accept(listener, nil, nil)
        guard descriptor >= 0 else { throw TestSocketError(description: "accept") }
        return TestConnection(descriptor: descriptor)
    }
}

final class TestConnection {
    let descriptor: Int32
    private var decoder = FrameDecoder()
    private var closed = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close()
    }

    func close() {
        if !closed { Glibc.close(descriptor) }
        closed = true
    }

    func send(_ message: WireMessage) throws {
        try sendRaw(WireCodec.encode(message))
    }

    func sendRaw(_ frame: [UInt8]) throws {
        let sent = frame.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == frame.count else { throw TestSocketError(description: "short send") }
    }

    /// The next message, skipping heartbeats and stats unless asked for.
    func receive(timeout: Double = 10, skippingPeriodic: Bool = true) throws -> WireMessage {
        let deadline = Clocks.monotonic() + timeout
        while true {
            while let message = try decoder.next() {
                switch message {
                case .heartbeat where skippingPeriodic, .stats where skippingPeriodic: continue
                default: return message
                }
            }
            let left = deadline - Clocks.monotonic()
            guard left > 0 else { throw TestSocketError(description: "no message within \(timeout) s") }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(left * 1000) + 1) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw TestSocketError(description: "connection closed") }
            decoder.append(buffer[0..<count])
        }
    }
}
