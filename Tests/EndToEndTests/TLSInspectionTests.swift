import Foundation
import Shared
import Testing

extension EndToEnd {
    /// AWS Network Firewall's egress TLS inspection walkthrough, and its session-holding one, on real
    /// traffic: curl in the client namespace, Python HTTPS servers and `openssl ocsp` in the server
    /// namespace, the firewall's workers decrypting what the TLS configuration's scopes select.
    @Suite(
        "TLS inspection",
        .enabled(if: E2EEnvironment.labTestsEnabled, "needs root and network namespaces (under CI=true these tests fail instead)")
    )
    struct TLSInspection {
        static let inspectionCAName = "CN=Rampart Test Inspection CA"
        static let serverCAName = "CN=Rampart Test Server CA"

        /// A control plane trusting `pki`'s server CA for upstream servers, the inspection CA imported, a
        /// TLS configuration `egress` with `scopes` and `revocation`, and firewall `fw` with `rules`.
        static func egressFirewall(
            _ fixture: E2EFixture, pki: TLSLabPKI, rules: String?, scopes: [ServerCertificateScope],
            revocation: CheckCertificateRevocationStatusActions? = nil, sessionHolding: Bool = false, attached: Bool = true
        ) async throws -> (tlsArn: String, caArn: String) {
            fixture.controlPlane.extraArguments = ["--upstream-trust-bundle", pki.serverCA]
            try await fixture.startControlPlane()
            let caArn = try await fixture.importCertificate(certificate: pki.inspectionCA, key: pki.inspectionKey)
            let tlsArn = try await fixture.createTLSConfiguration(
                name: "egress",
                TLSInspectionConfiguration(ServerCertificateConfigurations: [
                    ServerCertificateConfiguration(Scopes: scopes, CertificateAuthorityArn: caArn, CheckCertificateRevocationStatus: revocation),
                ])
            )
            try await fixture.createTLSFirewall(rules: rules, tlsArn: attached ? tlsArn : nil, sessionHolding: sessionHolding)
            return (tlsArn, caArn)
        }

        /// The lab most egress scenarios share: a leaf for `name`, an egress firewall scoped to port 443 with
        /// `rules`, one worker, the server on port 443 presenting that leaf, and the worker in sync.
        static func egressLab(_ fixture: E2EFixture, serving name: String, rules: String?) async throws -> TLSLabPKI {
            let pki = try await TLSLabPKI.make(in: fixture.directory, leaves: [.init(name: name)])
            _ = try await egressFirewall(fixture, pki: pki, rules: rules, scopes: [E2EFixture.tlsScope(ports: [443...443])])
            try await fixture.labUp(workers: 1)
            try await fixture.lab.startHTTPSServer(port: 443, certificate: pki.certificate(name), key: pki.key(name))
            try await fixture.waitUntilInSync(workers: 1)
            return pki
        }

        @Test("(1, 2) in scope the client sees a leaf from the inspection CA; out of scope the server's own certificate")
        func inScopeAndOutOfScope() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run(controlPlane: false) { fixture in
                let pki = try await TLSLabPKI.make(in: fixture.directory, leaves: [.init(name: "allowed.test")])
                _ = try await Self.egressFirewall(fixture, pki: pki, rules: nil, scopes: [E2EFixture.tlsScope(ports: [443...443])])
                try await fixture.labUp(workers: 2)
                for port in [443, 8443] {
                    try await fixture.lab.startHTTPSServer(port: port, certificate: pki.certificate("allowed.test"), key: pki.key("allowed.test"))
                }
                try await fixture.waitUntilInSync(workers: 2)

                for _ in 0..<3 {
                    let inspected = try await fixture.lab.curlHTTPS(name: "allowed.test", cacert: pki.inspectionCA)
                    #expect(inspected.exit == 0 && inspected.httpCode == "200", "in scope: \(inspected.output.summary)")
                    #expect(inspected.issuer == Self.inspectionCAName, "the leaf comes from the inspection CA: \(inspected.issuer ?? "none")")
                    #expect(inspected.subject == "CN=allowed.test", "with the server's subject: \(inspected.subject ?? "none")")
                }

                let direct = try await fixture.lab.curlHTTPS(name: "allowed.test", port: 8443, cacert: pki.serverCA)
                #expect(direct.exit == 0 && direct.httpCode == "200", "out of scope: \(direct.output.summary)")
                #expect(direct.issuer == Self.serverCAName, "out of scope the certificate is the server's own: \(direct.issuer ?? "none")")

                let event = await fixture.lab.waitForInspection(sni: "allowed.test", port: 443)
                #expect(event?.tls?.inspection?.action == "decrypted", "\(String(describing: event))")
                #expect(event?.tls?.issuerdn == Self.serverCAName && event?.tls?.subject == "CN=allowed.test")
                #expect(event?.tls?.fingerprint?.count == 59 && event?.tls?.notafter != nil)
                let leaked = fixture.lab.eveLines().filter { String(decoding: $0.raw, as: UTF8.self).contains("PRIVATE KEY") }
                #expect(leaked.isEmpty, "no key material in EVE")

                try await Self.expectEndedConnectionsFreed(fixture, accepted: 3)
                for queue in 0..<2 {
                    let log = (try? String(contentsOfFile: fixture.lab.workerLog(queue: queue), encoding: .utf8)) ?? ""
                    #expect(log.contains("allocator: jemalloc 5."), "the worker runs on jemalloc: \(log.suffix(400))")
                }
            }
        }

        /// The workers' TLS engines took at least `accepted` connections, all of which ended, and hold none
        /// of them any more: whatever ended a connection (the peers, a rule, a failed check), its state is freed.
        static func expectEndedConnectionsFreed(_ fixture: E2EFixture, accepted: UInt64) async throws {
            let taken = try await fixture.waitForWorkerCounter("tlsAccepted") { $0 >= accepted }
            #expect(taken >= accepted, "the workers report the connections their TLS engines took")
            let held = try await fixture.waitForWorkerCounter("tlsConnections") { $0 == 0 }
            #expect(held == 0, "an ended connection is freed, not kept by the engine")
        }

        @Test("(6) an http.uri drop rule matches inside TLS: /forbidden is blocked, / is allowed")
        func httpURIDropInsideTLS() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run(controlPlane: false) { fixture in
                let rules = #"drop http $HOME_NET any -> any any (msg:"forbidden path"; http.uri; content:"/forbidden"; startswith; sid:60;)"#
                let pki = try await Self.egressLab(fixture, serving: "allowed.test", rules: rules)

                let root = try await fixture.lab.curlHTTPS(name: "allowed.test", cacert: pki.inspectionCA)
                #expect(root.exit == 0 && root.httpCode == "200", "/ passes: \(root.output.summary)")
                let forbidden = try await fixture.lab.curlHTTPS(name: "allowed.test", path: "/forbidden", cacert: pki.inspectionCA)
                #expect(forbidden.exit == 52, "a drop inside TLS ends the connection without a response: \(forbidden.output.summary)")

                let alert = await fixture.lab.waitForEveEvents { events in events.first { $0.alert?.signature_id == 60 } }
                #expect(alert?.alert?.action == "blocked" && alert?.http?.url == "/forbidden", "\(String(describing: alert))")
                #expect(alert?.tls?.sni == "allowed.test", "the alert carries the connection's SNI: \(String(describing: alert))")
                try await Self.expectEndedConnectionsFreed(fixture, accepted: 2)
            }
        }

        @Test("(3) revocation: a revoked or unknown server certificate is dropped (curl 52), rejected (56) or passed (200)")
        func revocationActions() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run(controlPlane: false) { fixture in
                let responder = "http://\(LabHandle.serverAddress):8888/"
                let pki = try await TLSLabPKI.make(in: fixture.directory, leaves: [
                    .init(name: "good.test", ocspURL: responder),
                    .init(name: "revoked.test", ocspURL: responder, revoked: true),
                    .init(name: "unknown.test", ocspURL: "http://\(LabHandle.serverAddress):8889/"),
                ])
                func actions(_ action: RevocationCheckAction) -> CheckCertificateRevocationStatusActions {
                    CheckCertificateRevocationStatusActions(RevokedStatusAction: action, UnknownStatusAction: action)
                }
                let scopes = [E2EFixture.tlsScope(ports: [443...4499])]
                let (_, caArn) = try await Self.egressFirewall(fixture, pki: pki, rules: nil, scopes: scopes, revocation: actions(.DROP))
                try await fixture.labUp(workers: 1)
                for (port, name) in [(443, "good.test"), (4431, "revoked.test"), (4432, "unknown.test")] {
                    try await fixture.lab.startHTTPSServer(port: port, certificate: pki.certificate(name), key: pki.key(name))
                }
                try await fixture.lab.startOCSPResponder(pki: pki, port: 8888)
                var digest = try await fixture.waitUntilInSync(workers: 1)

                let good = try await fixture.lab.curlHTTPS(name: "good.test", cacert: pki.inspectionCA)
                #expect(good.exit == 0 && good.httpCode == "200", "a good certificate passes: \(good.output.summary)")
                let goodEvent = await fixture.lab.waitForInspection(sni: "good.test", port: 443)
                #expect(goodEvent?.tls?.inspection?.revocation_status == "good", "\(String(describing: goodEvent))")

                for (action, exit) in [(RevocationCheckAction.DROP, Int32(52)), (.REJECT, 56), (.PASS, 0)] {
                    if action != .DROP {
                        try await fixture.updateTLSConfiguration(
                            name: "egress",
                            TLSInspectionConfiguration(ServerCertificateConfigurations: [
                                ServerCertificateConfiguration(Scopes: scopes, CertificateAuthorityArn: caArn, CheckCertificateRevocationStatus: actions(action)),
                            ])
                        )
                        digest = try await fixture.waitUntilInSync(workers: 1, previous: digest)
                    }
                    for (name, port, status) in [("revoked.test", 4431, "revoked"), ("unknown.test", 4432, "unknown")] {
                        let seen = fixture.lab.eveEvents().count
                        let result = try await fixture.lab.curlHTTPS(name: name, port: port, cacert: pki.inspectionCA)
                        #expect(result.exit == exit, "\(status) with \(action): curl exit \(exit) expected: \(result.output.summary)")
                        if action == .PASS { #expect(result.httpCode == "200") }
                        let event = await fixture.lab.waitForInspection(sni: name, port: port, skipping: seen)
                        #expect(event?.tls?.inspection?.revocation_status == status, "\(String(describing: event))")
                        let expected = action == .PASS ? "decrypted" : action == .DROP ? "drop" : "reject"
                        #expect(event?.tls?.inspection?.action == expected, "\(String(describing: event))")
                    }
                }
                try await Self.expectEndedConnectionsFreed(fixture, accepted: 7)
            }
        }

        @Test("(4) SNI spoofing: SNI allowed.test to a server whose certificate is for other.test is dropped and logged")
        func sniSpoofing() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run(controlPlane: false) { fixture in
                let pki = try await Self.egressLab(fixture, serving: "other.test", rules: nil)

                let spoofed = try await fixture.lab.curlHTTPS(name: "allowed.test", cacert: pki.inspectionCA)
                #expect(spoofed.exit != 0 && spoofed.httpCode != "200", "the spoofed SNI does not get through: \(spoofed.output.summary)")
                let event = await fixture.lab.waitForInspection(sni: "allowed.test", port: 443)
                #expect(event?.tls?.inspection?.action == "drop", "\(String(describing: event))")
                #expect(event?.tls?.inspection?.reason == "sni_mismatch", "the event says why: \(String(describing: event))")
                #expect(event?.tls?.inspection?.detail?.contains("other.test") == true)
                try await Self.expectEndedConnectionsFreed(fixture, accepted: 1)
            }
        }

        @Test("(5) session holding: a denied SNI never reaches the server with holding on; without it the server sees a SYN")
        func sessionHolding() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run(controlPlane: false) { fixture in
                let pki = try await TLSLabPKI.make(in: fixture.directory, leaves: [.init(name: "allowed.test")])
                let rules = #"drop tls $HOME_NET any -> any any (msg:"blocked sni"; tls.sni; content:"blocked.test"; sid:50;)"#
                _ = try await Self.egressFirewall(
                    fixture, pki: pki, rules: rules, scopes: [E2EFixture.tlsScope(ports: [443...443])], sessionHolding: true
                )
                try await fixture.labUp(workers: 1)
                try await fixture.lab.startHTTPSServer(port: 443, certificate: pki.certificate("allowed.test"), key: pki.key("allowed.test"))
                try await fixture.lab.addPacketCounter("syn", on: .server, ["-p", "tcp", "--dport", "443", "--syn"])
                var digest = try await fixture.waitUntilInSync(workers: 1)

                let held = try await fixture.lab.curlHTTPS(name: "blocked.test", cacert: pki.inspectionCA)
                #expect(held.exit != 0, "the blocked SNI is refused: \(held.output.summary)")
                #expect(try await fixture.lab.countedPackets("syn", on: .server) == 0, "with session holding the server saw no SYN")
                let alert = await fixture.lab.waitForEveEvents { events in events.first { $0.alert?.signature_id == 50 } }
                #expect(alert?.tls?.sni == "blocked.test" && alert?.alert?.action == "blocked", "\(String(describing: alert))")

                let allowed = try await fixture.lab.curlHTTPS(name: "allowed.test", cacert: pki.inspectionCA)
                #expect(allowed.exit == 0 && allowed.httpCode == "200", "an allowed SNI goes through: \(allowed.output.summary)")

                try await fixture.updateTLSPolicy(tlsArn: try await fixture.tlsConfigurationArn("egress"), sessionHolding: false)
                digest = try await fixture.waitUntilInSync(workers: 1, previous: digest)
                try await fixture.lab.zeroPacketCounters(on: .server)
                let unheld = try await fixture.lab.curlHTTPS(name: "blocked.test", cacert: pki.inspectionCA)
                #expect(unheld.exit != 0, "still refused without holding: \(unheld.output.summary)")
                #expect(try await fixture.lab.countedPackets("syn", on: .server) >= 1, "without session holding the server saw the connection open")
                try await Self.expectEndedConnectionsFreed(fixture, accepted: 3)
            }
        }

        @Test("(7) a TLS connection opened before the policy gained its TLS configuration is dropped after")
        func establishedBeforeTheScopeIsDropped() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run(controlPlane: false) { fixture in
                let pki = try await TLSLabPKI.make(in: fixture.directory, leaves: [.init(name: "allowed.test")])
                let (tlsArn, _) = try await Self.egressFirewall(
                    fixture, pki: pki, rules: nil, scopes: [E2EFixture.tlsScope(ports: [443...443])], attached: false
                )
                try await fixture.labUp(workers: 1)
                try await fixture.lab.startHTTPSServer(port: 443, certificate: pki.certificate("allowed.test"), key: pki.key("allowed.test"))
                let digest = try await fixture.waitUntilInSync(workers: 1)

                let session = try await fixture.lab.startKeepAliveClient(name: "allowed.test", port: 443)
                #expect(try await session.waitForLine("first ok"), "the first request on the long connection works: \(session.log())")

                try await fixture.updateTLSPolicy(tlsArn: tlsArn, sessionHolding: false)
                try await fixture.waitUntilInSync(workers: 1, previous: digest)
                try session.proceed()
                #expect(try await session.waitForLine("second failed", timeout: .seconds(20)), "the old connection is dropped: \(session.log())")

                let drop = await fixture.lab.waitForEveEvents { events in
                    events.first { $0.event_type == "drop" && $0.drop?.reason == "tls inspection: flow not diverted at its start" }
                }
                #expect(drop != nil, "a drop event says why")
                let fresh = try await fixture.lab.curlHTTPS(name: "allowed.test", cacert: pki.inspectionCA)
                #expect(fresh.exit == 0 && fresh.issuer == Self.inspectionCAName, "a new connection is inspected: \(fresh.output.summary)")
            }
        }

        @Test("a client that never sends its ClientHello is closed once the handshake time is up, and logged")
        func silentClientTimesOut() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run(controlPlane: false) { fixture in
                _ = try await Self.egressLab(fixture, serving: "allowed.test", rules: nil)

                // Connects, sends nothing and prints how long the firewall kept the connection open.
                let script = """
                    import socket, sys, time
                    connection = socket.create_connection((sys.argv[1], 443), timeout=5)
                    connection.settimeout(25)
                    start = time.monotonic()
                    try:
                        data = connection.recv(1)
                        print("closed", round(time.monotonic() - start, 2), len(data), flush=True)
                    except Exception as error:
                        print("error", type(error).__name__, round(time.monotonic() - start, 2), flush=True)
                    """
                let output = try await fixture.lab.exec(
                    .client, ["python3", "-c", script, LabHandle.serverAddress], timeout: .seconds(40)
                )
                let words = output.stdout.split(separator: " ")
                let seconds = words.count >= 2 ? Double(words[1]) : nil
                #expect(words.first == "closed", "the firewall ends the connection: \(output.stdout) \(output.stderr)")
                // The engine allows 10 s for the handshake; its deadline sweep runs every 0.5 s.
                #expect(seconds.map { $0 >= 9.5 && $0 < 13 } == true, "after the handshake time, not before: \(output.stdout)")

                let event = await fixture.lab.waitForEveEvents { events in
                    events.last { $0.event_type == "tls" && $0.tls?.inspection?.reason == "handshake_timeout" }
                }
                #expect(event?.tls?.inspection?.action == "drop", "the tls event says why: \(String(describing: event))")
                #expect(event?.dest_port == 443)
                try await Self.expectEndedConnectionsFreed(fixture, accepted: 1)
            }
        }

        @Test("a client that keeps its socket open after the server's end is let go about a second after the engine's end")
        func clientThatDoesNotCloseIsLetGo() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run(controlPlane: false) { fixture in
                let pki = try await Self.egressLab(fixture, serving: "allowed.test", rules: nil)

                // Reads the response to its end (the server closes), keeps the socket open, and watches the
                // worker's socket toward it in the firewall namespace (TPROXY: the server's address and
                // port, the client's port) until the worker no longer owns it. Prints the status, whether
                // the worker still owned the socket at the end of the response, and the seconds after it.
                let script = """
                    import socket, ssl, subprocess, sys, time
                    server, cafile, firewall = sys.argv[1], sys.argv[2], sys.argv[3]
                    raw = socket.create_connection((server, 443), timeout=10)
                    tls = ssl.create_default_context(cafile=cafile).wrap_socket(raw, server_hostname="allowed.test")
                    tls.sendall(b"GET / HTTP/1.1\\r\\nHost: allowed.test\\r\\nConnection: close\\r\\n\\r\\n")
                    response = b""
                    while data := tls.recv(65536):
                        response += data
                    ended = time.monotonic()
                    address, port = tls.getsockname()[:2]
                    def owned():
                        ss = ["ip", "netns", "exec", firewall, "ss", "-Htnp", "src", f"{server}:443", "dst", f"{address}:{port}"]
                        return "rampart-worker" in subprocess.run(ss, capture_output=True, text=True).stdout
                    at_end = owned()
                    while owned() and time.monotonic() - ended < 15:
                        time.sleep(0.1)
                    print(response.split(b" ")[1].decode(), at_end, round(time.monotonic() - ended, 2), flush=True)
                    tls.close()
                    """
                let output = try await fixture.lab.exec(
                    .client, ["python3", "-c", script, LabHandle.serverAddress, pki.inspectionCA, fixture.lab.namespace(.fw)],
                    timeout: .seconds(40)
                )
                let words = output.stdout.split(separator: " ").map(String.init)
                #expect(words.count == 3 && words[0] == "200", "the client read the response: \(output.stdout) \(output.stderr)")
                #expect(words.count == 3 && words[1] == "True", "the worker held its half-closed socket when the response ended: \(output.stdout)")
                // The end's wait (1 s) plus the deadline sweep's period (0.5 s), not the 5 s allowed for writing out.
                let seconds = words.count == 3 ? Double(words[2].trimmingCharacters(in: .whitespacesAndNewlines)) : nil
                #expect(seconds.map { $0 < 3 } == true, "the worker let the socket go soon after its end: \(output.stdout)")
                try await Self.expectEndedConnectionsFreed(fixture, accepted: 1)
            }
        }

        @Test("toward the server the ClientHello carries the SYN-ACK's acknowledgement; on both sides the engine's close_notify carries its FIN")
        func segmentsAreMerged() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run(controlPlane: false) { fixture in
                let pki = try await Self.egressLab(fixture, serving: "allowed.test", rules: nil)
                let lab = fixture.lab
                // The engine opens the connection toward the server: its second packet follows the SYN-ACK.
                let toServer = ["-p", "tcp", "--dport", "443"]
                let second = ["-m", "connbytes", "--connbytes", "2:2", "--connbytes-dir", "original", "--connbytes-mode", "packets"]
                let bareAck = ["--tcp-flags", "ALL", "ACK", "-m", "length", "--length", "40:64"]
                let fin = ["--tcp-flags", "FIN", "FIN"]
                let withPayload = ["-m", "length", "--length", "65:65535"]
                try await lab.addPacketCounter("second", on: .server, toServer + second)
                try await lab.addPacketCounter("second-bare-ack", on: .server, toServer + bareAck + second)
                try await lab.addPacketCounter("fin", on: .server, toServer + fin)
                try await lab.addPacketCounter("fin-with-payload", on: .server, toServer + fin + withPayload)
                let fromServer = ["-p", "tcp", "--sport", "443"]
                try await lab.addPacketCounter("client-fin", on: .client, fromServer + fin)
                try await lab.addPacketCounter("client-fin-with-payload", on: .client, fromServer + fin + withPayload)

                // curl ends each connection (the server keeps it alive): the engine then ends its side
                // toward the server, which is still open.
                let connections = 3
                for _ in 0..<connections {
                    let inspected = try await lab.curlHTTPS(name: "allowed.test", cacert: pki.inspectionCA)
                    #expect(inspected.exit == 0 && inspected.httpCode == "200", "through the engine: \(inspected.output.summary)")
                }
                try await Self.expectEndedConnectionsFreed(fixture, accepted: UInt64(connections))
                func counted(_ name: String) async throws -> Int { try await lab.countedPackets(name, on: .server) }
                #expect(try await counted("second") == connections, "every connection toward the server is counted")
                #expect(try await counted("second-bare-ack") == 0, "the SYN-ACK's ACK rides with the ClientHello, not in a packet of its own")
                let fins = try await counted("fin")
                #expect(fins >= connections, "the engine ended every connection toward the server with a FIN: \(fins)")
                #expect(try await counted("fin-with-payload") == fins, "each of those FINs came with the close_notify, in one segment")
                // Toward the client, the engine answers curl's close_notify within the read that brought it
                // and closes: its close_notify and its FIN leave in one segment. (Sent apart, most FINs
                // never left: curl's socket, already closed, answered the close_notify with a reset.)
                let clientFins = try await lab.countedPackets("client-fin", on: .client)
                #expect(clientFins > 0, "the engine ended connections toward the client with a FIN")
                #expect(
                    try await lab.countedPackets("client-fin-with-payload", on: .client) == clientFins,
                    "each FIN toward the client came with the engine's close_notify, in one segment"
                )
            }
        }

        @Test("a packet of a diverted connection that comes after the engine's socket is gone is dropped by the kernel, unqueued and unlogged")
        func latePacketsOfADivertedConnectionStayInTheKernel() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run(controlPlane: false) { fixture in
                _ = try await Self.egressLab(fixture, serving: "allowed.test", rules: nil)
                let lab = fixture.lab

                // Connects (diverted), keeps the engine's reset from reaching its socket, destroys the engine's
                // socket in the firewall namespace, then sends: the socket stays open and retransmits toward a
                // connection no engine socket owns any more. Prints its port.
                let script = """
                    import socket, subprocess, sys, time
                    server, firewall = sys.argv[1], sys.argv[2]
                    connection = socket.create_connection((server, 443), timeout=5)
                    address, port = connection.getsockname()[:2]
                    subprocess.run(["iptables-legacy", "-w", "5", "-I", "INPUT", "-p", "tcp", "-s", server, "--sport", "443",
                                    "--dport", str(port), "--tcp-flags", "RST", "RST", "-j", "DROP"], check=True)
                    time.sleep(0.5)
                    subprocess.run(["ip", "netns", "exec", firewall, "ss", "-K", "-tn", "src", f"{server}:443",
                                    "dst", f"{address}:{port}"], check=True, capture_output=True)
                    connection.sendall(b"late bytes")
                    time.sleep(1.5)
                    print(port, flush=True)
                    """
                let output = try await lab.exec(.client, ["python3", "-c", script, LabHandle.serverAddress, lab.namespace(.fw)])
                let port = try #require(Int(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(output.summary)")

                let lateDrops = try await lab.rulePackets(
                    on: .fw, table: "mangle", chain: "RAMPART-PRE", listedWith: ["DROP", "connmark match  0x8000000/0x8000000"]
                )
                #expect(lateDrops > 0, "the connection's mark dropped the late packets")

                try await Task.sleep(for: .milliseconds(500))
                let logged = lab.eveEvents().filter { $0.event_type == "drop" && ($0.src_port.map(Int.init) == port || $0.dest_port.map(Int.init) == port) }
                #expect(logged.isEmpty, "the worker never saw them: \(logged.map { $0.drop?.reason ?? "" })")
            }
        }

        @Test("(8) inbound: a ServerCertificates configuration terminates TLS toward a protected server and inspects it")
        func inboundInspection() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run { fixture in
                let pki = try await TLSLabPKI.make(in: fixture.directory, leaves: [.init(name: "inbound.test"), .init(name: "backend.test")])
                let certificateArn = try await fixture.importCertificate(certificate: pki.certificate("inbound.test"), key: pki.key("inbound.test"))
                let tlsArn = try await fixture.createTLSConfiguration(
                    name: "inbound",
                    TLSInspectionConfiguration(ServerCertificateConfigurations: [
                        ServerCertificateConfiguration(
                            ServerCertificates: [ServerCertificate(ResourceArn: certificateArn)],
                            Scopes: [E2EFixture.tlsScope(ports: [443...443], destination: "198.18.0.2/32")]
                        ),
                    ])
                )
                let rules = #"drop http any any -> $HOME_NET any (msg:"inbound forbidden"; http.uri; content:"/forbidden"; sid:80;)"#
                try await fixture.createTLSFirewall(rules: rules, tlsArn: tlsArn)
                try await fixture.labUp(workers: 1)
                // The protected server is the lab's client host; the outside client is the server host.
                try await fixture.lab.startHTTPSServer(
                    on: .client, address: "198.18.0.2", port: 443, certificate: pki.certificate("backend.test"), key: pki.key("backend.test")
                )
                try await fixture.waitUntilInSync(workers: 1)

                let visit = try await fixture.lab.curlHTTPS(from: .server, name: "inbound.test", address: "198.18.0.2", cacert: pki.serverCA)
                #expect(visit.exit == 0 && visit.httpCode == "200", "the outside client reaches the protected server: \(visit.output.summary)")
                #expect(visit.subject == "CN=inbound.test", "it sees the configured server certificate: \(visit.subject ?? "none")")
                let forbidden = try await fixture.lab.curlHTTPS(
                    from: .server, name: "inbound.test", address: "198.18.0.2", path: "/forbidden", cacert: pki.serverCA
                )
                #expect(forbidden.exit == 52, "a drop inside inbound TLS: \(forbidden.output.summary)")
                let event = await fixture.lab.waitForInspection(sni: "inbound.test", port: 443)
                #expect(event?.tls?.inspection?.mode == "inbound", "\(String(describing: event))")
                try await Self.expectEndedConnectionsFreed(fixture, accepted: 2)
            }
        }
    }
}

extension E2EFixture {
    /// The ARN of TLS inspection configuration `name`.
    func tlsConfigurationArn(_ name: String) async throws -> String {
        try await api.get("/v1/tls-inspection-configurations/\(name)", as: TLSInspectionConfigurationOutput.self)
            .TLSInspectionConfigurationResponse.TLSInspectionConfigurationArn
    }
}

/// A long-lived HTTPS connection from the client: one request at once, a second when told to.
struct KeepAliveClient {
    let process: ChildProcess
    let logPath: String
    let trigger: String

    func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits until the client printed `line`.
    func waitForLine(_ line: String, timeout: Duration = .seconds(10)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        repeat {
            if log().contains(line) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < deadline
        return false
    }

    /// Lets it send its second request.
    func proceed() throws {
        _ = FileManager.default.createFile(atPath: trigger, contents: Data())
    }
}

extension LabHandle {
    /// A Python client in the client namespace that opens one TLS connection to 198.19.0.2:PORT (SNI
    /// `name`, no certificate check), makes a request, prints `first ok`, waits for the trigger file, makes
    /// a second request on the same connection and prints `second ok` or `second failed …`.
    func startKeepAliveClient(name: String, port: Int) async throws -> KeepAliveClient {
        let trigger = runDirectory + "/proceed-\(port)"
        let logPath = runDirectory + "/keepalive-\(port).log"
        let script = """
            import os, socket, ssl, sys, time
            name, address, port, trigger = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            connection = context.wrap_socket(socket.create_connection((address, port), timeout=5), server_hostname=name)
            def request():
                connection.sendall(("GET / HTTP/1.1\\r\\nHost: %s\\r\\n\\r\\n" % name).encode())
                data = b""
                while b"\\r\\n\\r\\n" not in data:
                    chunk = connection.recv(4096)
                    if not chunk:
                        raise EOFError("connection closed")
                    data += chunk
                head, _, body = data.partition(b"\\r\\n\\r\\n")
                length = int([l.split(b":")[1] for l in head.split(b"\\r\\n") if l.lower().startswith(b"content-length")][0])
                while len(body) < length:
                    chunk = connection.recv(4096)
                    if not chunk:
                        raise EOFError("connection closed")
                    body += chunk
            request()
            print("first ok", flush=True)
            deadline = time.time() + 60
            while not os.path.exists(trigger) and time.time() < deadline:
                time.sleep(0.05)
            connection.settimeout(5)
            try:
                request()
                print("second ok", flush=True)
            except Exception as error:
                print("second failed", type(error).__name__, error, flush=True)
            """
        let process = try Subprocess.spawn(
            ["ip", "netns", "exec", namespace(.client), "python3", "-c", script, name, Self.serverAddress, String(port), trigger],
            logPath: logPath
        )
        adopt(pids: [process.pid])
        return KeepAliveClient(process: process, logPath: logPath, trigger: trigger)
    }
}
