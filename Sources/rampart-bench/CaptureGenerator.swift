import Foundation

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
