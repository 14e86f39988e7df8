import DataPlane
import Foundation
import Rules
import Shared

// `rampart-bench`: packets per second of the worker's packet path (`PacketProcessor`) over a generated
// capture, with 0, 1,000 and 10,000 ET Open rules. A benchmark, not a test: it prints numbers.
//
//   rampart-bench --rules-dir DIR [--quick] [--profile]
//
// The capture is generated in memory from a seeded PRNG, so every run sees the same packets: ~2,000 flows
// (HTTP/1.1 over TCP, TLS ClientHello with SNI, DNS over UDP, plain UDP), raw IPv4 packets with addresses
// from 198.18.0.0/15 (clients in 198.18.0.0/16 = `HOME_NET`, servers in 198.19.0.0/16).

// MARK: Arguments

struct Options {
    var rulesDirectory: String?
    var quick = false
    var profile = false
    var runs = 3

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--rules-dir":
                index += 1
                guard index < arguments.count else { usage("--rules-dir needs a value") }
                options.rulesDirectory = arguments[index]
            case "--quick":
                options.quick = true
            case "--profile":
                options.profile = true
            case "--runs":
                index += 1
                guard index < arguments.count, let runs = Int(arguments[index]), (1...20).contains(runs) else {
                    usage("--runs needs a number from 1 to 20")
                }
                options.runs = runs
            case "-h", "--help":
                usage(nil)
            default:
                usage("unknown argument '\(arguments[index])'")
            }
            index += 1
        }
        return options
    }

    static func usage(_ problem: String?) -> Never {
        if let problem { FileHandle.standardError.write(Data("rampart-bench: \(problem)\n".utf8)) }
        print("usage: rampart-bench --rules-dir DIR [--quick] [--profile] [--runs N]")
        exit(problem == nil ? 0 : 64)
    }
}

// MARK: Deterministic randomness

/// SplitMix64: small, fast and the same on every platform.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &self)] }

    mutating func bytes(_ count: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        while result.count < count {
            var word = next()
            for _ in 0..<min(8, count - result.count) {
                result.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return result
    }
}

// MARK: Packet building

extension Array where Element == UInt8 {
    mutating func put16(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(value & 0xFF))
    }

    mutating func put24(_ value: Int) {
        append(UInt8((value >> 16) & 0xFF))
        append(UInt8((value >> 8) & 0xFF))
        append(UInt8(value & 0xFF))
    }

    mutating func put32(_ value: UInt32) {
        put16(UInt16(value >> 16))
        put16(UInt16(value & 0xFFFF))
    }
}

enum TCPFlag {
    static let fin: UInt8 = 0x01
    static let syn: UInt8 = 0x02
    static let rst: UInt8 = 0x04
    static let psh: UInt8 = 0x08
    static let ack: UInt8 = 0x10
}

/// An IPv4 endpoint.
struct Endpoint {
    var address: UInt32
    var port: UInt16
}

enum PacketBuilder {
    /// An IPv4 packet (no options, DF set, checksum left zero: the processor does not check it).
    static func ipv4(source: UInt32, destination: UInt32, protocol ipProtocol: UInt8, id: UInt16, ttl: UInt8, transport: [UInt8]) -> [UInt8] {
        var packet: [UInt8] = []
        packet.reserveCapacity(20 + transport.count)
        packet.append(0x45)
        packet.append(0)
        packet.put16(UInt16(20 + transport.count))
        packet.put16(id)
        packet.put16(0x4000)
        packet.append(ttl)
        packet.append(ipProtocol)
        packet.put16(0)
        packet.put32(source)
        packet.put32(destination)
        packet.append(contentsOf: transport)
        return packet
    }

    static func tcp(from: Endpoint, to: Endpoint, sequence: UInt32, acknowledgement: UInt32, flags: UInt8, payload: [UInt8], id: UInt16, ttl: UInt8) -> [UInt8] {
        var segment: [UInt8] = []
        segment.reserveCapacity(20 + payload.count)
        segment.put16(from.port)
        segment.put16(to.port)
        segment.put32(sequence)
        segment.put32(flags & TCPFlag.ack != 0 ? acknowledgement : 0)
        segment.append(5 << 4)
        segment.append(flags)
        segment.put16(64240)
        segment.put16(0)
        segment.put16(0)
        segment.append(contentsOf: payload)
        return ipv4(source: from.address, destination: to.address, protocol: 6, id: id, ttl: ttl, transport: segment)
    }

    static func udp(from: Endpoint, to: Endpoint, payload: [UInt8], id: UInt16, ttl: UInt8) -> [UInt8] {
        var datagram: [UInt8] = []
        datagram.reserveCapacity(8 + payload.count)
        datagram.put16(from.port)
        datagram.put16(to.port)
        datagram.put16(UInt16(8 + payload.count))
        datagram.put16(0)
        datagram.append(contentsOf: payload)
        return ipv4(source: from.address, destination: to.address, protocol: 17, id: id, ttl: ttl, transport: datagram)
    }
}

/// One TCP connection's packets in order, with sequence numbers tracked per side.
struct TCPConversation {
    let client: Endpoint
    let server: Endpoint
    var clientSequence: UInt32
    var serverSequence: UInt32
    var clientID: UInt16
    var serverID: UInt16
    var packets: [[UInt8]] = []
    static let segmentSize = 1448

    init(client: Endpoint, server: Endpoint, random: inout SeededGenerator) {
        self.client = client
        self.server = server
        clientSequence = UInt32(truncatingIfNeeded: random.next())
        serverSequence = UInt32(truncatingIfNeeded: random.next())
        clientID = UInt16(truncatingIfNeeded: random.next())
        serverID = UInt16(truncatingIfNeeded: random.next())
    }

    private mutating func emit(fromClient: Bool, flags: UInt8, payload: [UInt8] = []) {
        if fromClient {
            packets.append(PacketBuilder.tcp(
                from: client, to: server, sequence: clientSequence, acknowledgement: serverSequence, flags: flags,
                payload: payload, id: clientID, ttl: 64
            ))
            clientID &+= 1
            clientSequence &+= UInt32(payload.count) + (flags & (TCPFlag.syn | TCPFlag.fin) != 0 ? 1 : 0)
        } else {
            packets.append(PacketBuilder.tcp(
                from: server, to: client, sequence: serverSequence, acknowledgement: clientSequence, flags: flags,
                payload: payload, id: serverID, ttl: 57
            ))
            serverID &+= 1
            serverSequence &+= UInt32(payload.count) + (flags & (TCPFlag.syn | TCPFlag.fin) != 0 ? 1 : 0)
        }
    }

    mutating func handshake() {
        emit(fromClient: true, flags: TCPFlag.syn)
        emit(fromClient: false, flags: TCPFlag.syn | TCPFlag.ack)
        emit(fromClient: true, flags: TCPFlag.ack)
    }

    /// Sends `data` in full-sized segments; the receiver acknowledges every second segment.
    mutating func send(fromClient: Bool, _ data: [UInt8]) {
        var offset = 0
        var segments = 0
        while offset < data.count {
            let end = min(data.count, offset + TCPConversation.segmentSize)
            emit(fromClient: fromClient, flags: TCPFlag.ack | (end == data.count ? TCPFlag.psh : 0), payload: Array(data[offset..<end]))
            offset = end
            segments += 1
            if segments % 2 == 0 || offset == data.count { emit(fromClient: !fromClient, flags: TCPFlag.ack) }
        }
    }

    mutating func close() {
        emit(fromClient: true, flags: TCPFlag.fin | TCPFlag.ack)
        emit(fromClient: false, flags: TCPFlag.ack)
        emit(fromClient: false, flags: TCPFlag.fin | TCPFlag.ack)
        emit(fromClient: true, flags: TCPFlag.ack)
    }
}

// MARK: Capture

/// Every packet of the capture in one buffer: packet `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
struct Capture {
    var bytes: [UInt8] = []
    var offsets: [Int] = [0]
    var flows = 0
    var flowsByKind: [String: Int] = [:]

    var packetCount: Int { offsets.count - 1 }

    mutating func append(_ packet: [UInt8]) {
        bytes.append(contentsOf: packet)
        offsets.append(bytes.count)
    }
}

enum CaptureGenerator {
    static let hosts = [
        "www.example.com", "news.example.org", "cdn.staticfiles.net", "api.weather-service.io", "shop.example-store.com",
        "mail.corp-portal.net", "updates.software-vendor.com", "images.photo-share.org", "docs.wiki-site.org",
        "video.streamhost.tv", "login.account-center.com", "search.find-it.net", "static.analytics-pixel.com",
        "downloads.open-mirror.org", "blog.tech-notes.dev",
    ]
    static let userAgents = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "curl/8.5.0", "Wget/1.21.4", "python-requests/2.31.0", "Microsoft-CryptoAPI/10.0",
    ]
    static let paths = [
        "/", "/index.html", "/assets/app.js", "/assets/style.css", "/images/logo.png", "/api/v1/items", "/api/v2/user/profile",
        "/search", "/news/2024/05/article.html", "/download/setup.exe", "/static/fonts/roboto.woff2", "/favicon.ico",
        "/wp-content/themes/site/main.js", "/products/list.php", "/cart/checkout",
    ]
    static let queries = ["", "", "", "?id=1234", "?q=weather+today&lang=en", "?page=2&sort=asc", "?v=3.2.1", "?session=ab12cd34ef"]
    static let words = Array("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ".utf8)

    static func generate(targetPackets: Int, seed: UInt64) -> Capture {
        var random = SeededGenerator(seed: seed)
        var flows: [[[UInt8]]] = []
        var packetTotal = 0
        var capture = Capture()
        // Bounded: every flow has at least two packets.
        while packetTotal < targetPackets, flows.count < targetPackets {
            let index = flows.count
            let client = Endpoint(address: 0xC612_0000 | UInt32(random.int(1...0xFFFE)), port: UInt16(10_000 + index % 50_000))
            let serverAddress = 0xC613_0000 | UInt32(random.int(1...0x3FF))
            let roll = random.int(0...99)
            let packets: [[UInt8]]
            let kind: String
            switch roll {
            case 0..<38:
                kind = "http"
                packets = http(client: client, server: Endpoint(address: serverAddress, port: random.pick([80, 80, 80, 8080])), random: &random)
            case 38..<68:
                kind = "tls"
                packets = tls(client: client, server: Endpoint(address: serverAddress, port: 443), random: &random)
            case 68..<90:
                kind = "dns"
                packets = dns(client: client, server: Endpoint(address: serverAddress | 0x35, port: 53), random: &random)
            default:
                kind = "udp"
                packets = udp(client: client, server: Endpoint(address: serverAddress, port: UInt16(random.int(5000...5100))), random: &random)
            }
            capture.flowsByKind[kind, default: 0] += 1
            packetTotal += packets.count
            flows.append(packets)
        }
        capture.flows = flows.count
        capture.bytes.reserveCapacity(flows.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } })

        // Interleave: up to 64 flows are open at a time; each step sends the next packet of a random open flow.
        var open: [(flow: Int, next: Int)] = []
        var nextFlow = 0
        while nextFlow < flows.count || !open.isEmpty {
            while open.count < 64, nextFlow < flows.count {
                open.append((nextFlow, 0))
                nextFlow += 1
            }
            let slot = random.int(0...(open.count - 1))
            let (flow, next) = open[slot]
            capture.append(flows[flow][next])
            if next + 1 < flows[flow].count {
                open[slot].next = next + 1
            } else {
                open.remove(at: slot)
            }
        }
        return capture
    }

    static func text(_ count: Int, random: inout SeededGenerator) -> [UInt8] {
        var body = Array("<!DOCTYPE html><html><head><title>Page</title></head><body><p>".utf8)
        var position = random.int(0...(words.count - 1))
        while body.count < count {
            body.append(words[position % words.count])
            position += 1
        }
        return Array(body.prefix(count))
    }

    static func http(client: Endpoint, server: Endpoint, random: inout SeededGenerator) -> [[UInt8]] {
        var connection = TCPConversation(client: client, server: server, random: &random)
        connection.handshake()
        let host = random.pick(hosts)
        let agent = random.pick(userAgents)
        for _ in 0..<random.int(1...3) {
            let uri = random.pick(paths) + random.pick(queries)
            let post = random.int(0...9) == 0
            var request = "\(post ? "POST" : "GET") \(uri) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: \(agent)\r\n"
            request += "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            request += "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: identity\r\nConnection: keep-alive\r\n"
            var requestBody: [UInt8] = []
            if post {
                requestBody = Array("name=value&item=\(random.int(1...99999))&comment=hello+world".utf8)
                request += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(requestBody.count)\r\n"
            }
            connection.send(fromClient: true, Array((request + "\r\n").utf8) + requestBody)

            let length = random.int(500...48_000)
            let type = uri.hasSuffix(".js") ? "application/javascript" : uri.hasSuffix(".png") ? "image/png" : "text/html; charset=utf-8"
            let head = "HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nDate: Mon, 06 May 2024 10:00:00 GMT\r\n"
                + "Content-Type: \(type)\r\nContent-Length: \(length)\r\nCache-Control: max-age=3600\r\nConnection: keep-alive\r\n\r\n"
            connection.send(fromClient: false, Array(head.utf8) + text(length, random: &random))
        }
        connection.close()
        return connection.packets
    }

    static func clientHello(serverName: String, random: inout SeededGenerator) -> [UInt8] {
        var extensions: [UInt8] = []
        let name = Array(serverName.utf8)
        extensions.put16(0x0000)  // server_name
        extensions.put16(UInt16(name.count + 5))
        extensions.put16(UInt16(name.count + 3))
        extensions.append(0)
        extensions.put16(UInt16(name.count))
        extensions.append(contentsOf: name)
        extensions.put16(0x000A)  // supported_groups
        extensions.put16(8)
        extensions.put16(6)
        for group: UInt16 in [0x001D, 0x0017, 0x0018] { extensions.put16(group) }
        extensions.put16(0x000B)  // ec_point_formats
        extensions.put16(2)
        extensions.append(1)
        extensions.append(0)
        extensions.put16(0x000D)  // signature_algorithms
        extensions.put16(8)
        extensions.put16(6)
        for algorithm: UInt16 in [0x0403, 0x0804, 0x0401] { extensions.put16(algorithm) }
        let alpn: [[UInt8]] = [Array("h2".utf8), Array("http/1.1".utf8)]
        let alpnLength = alpn.reduce(0) { $0 + 1 + $1.count }
        extensions.put16(0x0010)  // application_layer_protocol_negotiation
        extensions.put16(UInt16(alpnLength + 2))
        extensions.put16(UInt16(alpnLength))
        for proto in alpn {
            extensions.append(UInt8(proto.count))
            extensions.append(contentsOf: proto)
        }
        extensions.put16(0x002B)  // supported_versions
        extensions.put16(5)
        extensions.append(4)
        extensions.put16(0x0304)
        extensions.put16(0x0303)

        var body: [UInt8] = []
        body.put16(0x0303)
        body.append(contentsOf: random.bytes(32))
        body.append(32)
        body.append(contentsOf: random.bytes(32))
        let suites: [UInt16] = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0x009C, 0x009D, 0x002F, 0x0035]
        body.put16(UInt16(suites.count * 2))
        for suite in suites { body.put16(suite) }
        body.append(1)
        body.append(0)
        body.put16(UInt16(extensions.count))
        body.append(contentsOf: extensions)
        return handshakeRecord(type: 1, body: body)
    }

    static func serverHello(random: inout SeededGenerator) -> [UInt8] {
        var body: [UInt8] = []
        body.put16(0x0303)
        body.append(contentsOf: random.bytes(32))
        body.append(32)
        body.append(contentsOf: random.bytes(32))
        body.put16(0x1301)
        body.append(0)
        body.put16(6)
        body.put16(0x002B)
        body.put16(2)
        body.put16(0x0304)
        return handshakeRecord(type: 2, body: body)
    }

    static func handshakeRecord(type: UInt8, body: [UInt8]) -> [UInt8] {
        var record: [UInt8] = [0x16, 0x03, 0x01]
        record.put16(UInt16(body.count + 4))
        record.append(type)
        record.put24(body.count)
        record.append(contentsOf: body)
        return record
    }

    static func applicationData(_ count: Int, random: inout SeededGenerator) -> [UInt8] {
        var record: [UInt8] = [0x17, 0x03, 0x03]
        record.put16(UInt16(count))
        record.append(contentsOf: random.bytes(count))
        return record
    }

    static func tls(client: Endpoint, server: Endpoint, random: inout SeededGenerator) -> [[UInt8]] {
        var connection = TCPConversation(client: client, server: server, random: &random)
        connection.handshake()
        connection.send(fromClient: true, clientHello(serverName: random.pick(hosts), random: &random))
        // ServerHello, ChangeCipherSpec, then the encrypted rest of the handshake as application data.
        connection.send(
            fromClient: false,
            serverHello(random: &random) + [0x14, 0x03, 0x03, 0x00, 0x01, 0x01] + applicationData(random.int(2000...4000), random: &random)
        )
        connection.send(fromClient: true, [0x14, 0x03, 0x03, 0x00, 0x01, 0x01] + applicationData(53, random: &random))
        for _ in 0..<random.int(1...3) {
            connection.send(fromClient: true, applicationData(random.int(200...900), random: &random))
            connection.send(fromClient: false, applicationData(random.int(1000...40_000), random: &random))
        }
        connection.close()
        return connection.packets
    }

    static func dns(client: Endpoint, server: Endpoint, random: inout SeededGenerator) -> [[UInt8]] {
        let identifier = UInt16(truncatingIfNeeded: random.next())
        let qtype: UInt16 = random.pick([1, 1, 1, 28, 28, 5, 16])
        var question: [UInt8] = []
        for label in random.pick(hosts).split(separator: ".") {
            question.append(UInt8(label.utf8.count))
            question.append(contentsOf: label.utf8)
        }
        question.append(0)
        question.put16(qtype)
        question.put16(1)

        var query: [UInt8] = []
        query.put16(identifier)
        query.put16(0x0100)
        for count: UInt16 in [1, 0, 0, 0] { query.put16(count) }
        query.append(contentsOf: question)

        var response: [UInt8] = []
        response.put16(identifier)
        response.put16(0x8180)
        for count: UInt16 in [1, 1, 0, 0] { response.put16(count) }
        response.append(contentsOf: question)
        response.put16(0xC00C)
        if qtype == 28 {
            response.put16(28)
            response.put16(1)
            response.put32(300)
            response.put16(16)
            response.append(contentsOf: [0x20, 0x01, 0x0D, 0xB8] + random.bytes(12))
        } else {
            response.put16(1)
            response.put16(1)
            response.put32(300)
            response.put16(4)
            response.put32(0xC613_0000 | UInt32(random.int(1...0xFFFE)))
        }
        return [
            PacketBuilder.udp(from: client, to: server, payload: query, id: identifier, ttl: 64),
            PacketBuilder.udp(from: server, to: client, payload: response, id: identifier &+ 1, ttl: 57),
        ]
    }

    static func udp(client: Endpoint, server: Endpoint, random: inout SeededGenerator) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        var id = UInt16(truncatingIfNeeded: random.next())
        for number in 0..<random.int(30...90) {
            let fromClient = number % 3 != 2
            let payload = [0x80, 0x60] + random.bytes(random.int(60...300))
            packets.append(PacketBuilder.udp(
                from: fromClient ? client : server, to: fromClient ? server : client, payload: payload, id: id, ttl: fromClient ? 64 : 57
            ))
            id &+= 1
        }
        return packets
    }
}

// MARK: Rules

/// The loadable ET Open rules, in file order across the sorted file list.
func loadRules(directory: String, variables: VariableScope) -> (rules: [Rule], total: Int) {
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".rules") }.sorted()
    var rules: [Rule] = []
    var total = 0
    for file in files {
        guard let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8) else {
            print("warning: cannot read \(file)")
            continue
        }
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            total += 1
            do throws(RuleError) {
                rules.append(try RulesParser.parseRule(String(line), line: number + 1, variables: variables))
            } catch {
                continue
            }
        }
    }
    return (rules, total)
}

// MARK: Measurement

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

struct RunResult {
    var seconds: Double
    var alerts: UInt64
    var offloaded: UInt64
}

/// Runs the whole capture through a fresh processor once.
func runCapture(_ capture: Capture, snapshot: CompiledSnapshot) -> RunResult {
    let clock = ContinuousClock()
    var processor = PacketProcessor(configuration: PacketProcessorConfiguration(enforce: false))
    var events: [EveEvent] = []
    events.reserveCapacity(1024)
    let count = capture.packetCount
    let start = clock.now
    capture.bytes.withUnsafeBytes { all in
        capture.offsets.withUnsafeBufferPointer { offsets in
            for index in 0..<count {
                let packet = UnsafeRawBufferPointer(rebasing: all[offsets[index]..<offsets[index + 1]])
                let now = Double(index) * 0.0001
                _ = processor.process(bytes: packet, snapshot: snapshot, now: now, wallClock: 1_715_000_000 + now, events: &events)
                if index & 63 == 63 {
                    processor.expireFlows(now: now)
                    events.removeAll(keepingCapacity: true)
                }
            }
        }
    }
    let seconds = (clock.now - start).seconds
    let counters = processor.currentCounters
    return RunResult(seconds: seconds, alerts: counters.alerts, offloaded: counters.offloaded)
}

struct SetResult {
    var rules: Int
    var pps: Double
}

func measure(label: String, rules: [Rule], capture: Capture, runs: Int) -> SetResult? {
    let clock = ContinuousClock()
    let compileStart = clock.now
    let snapshot: CompiledSnapshot
    do {
        snapshot = try CompiledSnapshot(rules: rules)
    } catch {
        print("\(label): cannot compile: \(error)")
        return nil
    }
    let compileSeconds = (clock.now - compileStart).seconds
    var best: RunResult?
    for _ in 0..<runs {
        let result = runCapture(capture, snapshot: snapshot)
        if best == nil || result.seconds < best!.seconds { best = result }
    }
    guard let best else { return nil }
    let pps = Double(capture.packetCount) / best.seconds
    print(
        "\(label)rules=\(rules.count) packets=\(capture.packetCount) seconds=\(String(format: "%.3f", best.seconds)) "
            + "pps=\(String(format: "%.0f", pps)) compile=\(String(format: "%.3f", compileSeconds))s "
            + "alerts=\(best.alerts) offloaded=\(best.offloaded)"
    )
    return SetResult(rules: rules.count, pps: pps)
}

// MARK: Main

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
guard let rulesDirectory = options.rulesDirectory else { Options.usage("--rules-dir is required") }

let clock = ContinuousClock()
let generationStart = clock.now
let capture = CaptureGenerator.generate(targetPackets: options.quick ? 20_000 : 100_000, seed: 0x5241_4D50_4152_54)
let kinds = capture.flowsByKind.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
print(
    "capture: \(capture.packetCount) packets, \(capture.flows) flows (\(kinds)), \(capture.bytes.count) bytes, "
        + "generated in \(String(format: "%.2f", (clock.now - generationStart).seconds))s"
)

// Clients are the home network, as they would be behind the firewall; servers are outside it.
let variables: VariableScope
do {
    variables = try VariableScope.make(
        group: nil, policy: PolicyVariables(RuleVariables: ["HOME_NET": IPSet(Definition: ["198.18.0.0/16"])])
    )
} catch {
    print("cannot build the rule variables: \(error)")
    exit(1)
}
let loadStart = clock.now
let (available, total) = loadRules(directory: rulesDirectory, variables: variables)
print(
    "ET Open: \(available.count) of \(total) rules loadable (parsed in \(String(format: "%.2f", (clock.now - loadStart).seconds))s)"
)

var results: [SetResult] = []
for size in [0, 1_000, 10_000] {
    if size > available.count { print("note: only \(available.count) rules available for the \(size) set") }
    if let result = measure(label: "", rules: Array(available.prefix(size)), capture: capture, runs: options.runs) {
        results.append(result)
    }
}
if let base = results.first(where: { $0.rules == 0 }), let large = results.last, large.rules > 0 {
    print("ratio 10k/0 = \(String(format: "%.3f", large.pps / base.pps)) (target >= 0.5)")
}

if options.profile {
    Profile.run(rules: Array(available.prefix(10_000)), capture: capture, runs: options.runs)
}
