import Foundation
import Glibc
import Shared
import Testing

extension EndToEnd {
    /// Rules on the application layer — a TLS SNI domain list, `http.host`, `dns.query` — against real
    /// traffic from the lab's client through two workers, with the EVE events that say why.
    @Suite(
        "App-layer enforcement",
        .enabled(if: E2EEnvironment.labTestsEnabled, "needs root and network namespaces (under CI=true these tests fail instead)")
    )
    struct AppLayerEnforcement {
        @Test("(a) a TLS_SNI allow list lets allowed.test through, drops denied.test and logs its SNI")
        func tlsSNIAllowList() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run { fixture in
                let list = RulesSourceList(Targets: ["allowed.test"], TargetTypes: [.TLS_SNI], GeneratedRulesType: .ALLOWLIST)
                try await fixture.createFirewall(ruleGroup: RuleGroup(RulesSource: RulesSource(RulesSourceList: list)))
                try await fixture.labUp(workers: 2)
                let server = try await fixture.lab.startTLSServer(port: 443, certificateNames: ["allowed.test", "denied.test"])
                try await fixture.waitUntilInSync(workers: 2)

                let allowed = try await fixture.lab.curlFromClient(
                    ["-k", "--resolve", "allowed.test:443:\(LabHandle.serverAddress)", "https://allowed.test/"], maxTime: 5
                )
                #expect(allowed.exit == 0 && allowed.httpCode == "200", "the allow-listed SNI passes: \(allowed.output.summary)")

                let denied = try await fixture.lab.curlFromClient(
                    ["-k", "--resolve", "denied.test:443:\(LabHandle.serverAddress)", "https://denied.test/"], maxTime: 5
                )
                #expect(
                    [28, 35, 56].contains(denied.exit),
                    "an SNI off the allow list is dropped: curl times out (28) or the handshake is cut (35, 56): \(denied.output.summary)"
                )

                // The drop (or its alert) says why: the denied SNI, on the event itself or on the
                // `tls` event of the same flow.
                let verdict = await fixture.lab.waitForEveEvents { events in
                    events.first { event in
                        guard ["drop", "alert"].contains(event.event_type), event.dest_port == 443 else { return false }
                        return event.tls?.sni == "denied.test"
                            || events.contains { $0.event_type == "tls" && $0.isSameFlow(as: event) && $0.tls?.sni == "denied.test" }
                    }
                }
                #expect(
                    verdict != nil,
                    "no EVE drop or alert on port 443 tied to the SNI denied.test within 5 s; \(fixture.lab.eveSummary())"
                )
                if let verdict, verdict.event_type == "alert" {
                    #expect(verdict.alert?.action == "blocked", "the alert of the default drop is blocked: \(verdict)")
                }

                let events = fixture.lab.eveEvents()
                let allowedFlows = events.filter { $0.tls?.sni == "allowed.test" }
                let wronglyBlocked = events.filter { event in
                    ["drop", "alert"].contains(event.event_type) && allowedFlows.contains { $0.isSameFlow(as: event) }
                }
                #expect(wronglyBlocked.isEmpty, "the allowed.test flow has no drop or alert: \(wronglyBlocked)")

                await server.stop(grace: .seconds(3))
            }
        }

        @Test("(b) an http.host drop rule blocks Host www.blocked.test, passes ok.test and logs the hostname")
        func httpHostDrop() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run { fixture in
                let rules = #"drop http $HOME_NET any -> any any (msg:"blocked host"; http.host; content:"blocked.test"; endswith; flow:to_server,established; sid:10;)"#
                try await fixture.createFirewall(ruleGroup: RuleGroup(RulesSource: RulesSource(RulesString: rules)))
                try await fixture.labUp(workers: 2)
                try await fixture.lab.startHTTPServer(port: 80)
                try await fixture.waitUntilInSync(workers: 2)

                let ok = try await fixture.lab.curlFromClient(["-H", "Host: ok.test", "http://\(LabHandle.serverAddress)/"], maxTime: 5)
                #expect(ok.exit == 0 && ok.httpCode == "200", "a host the rule does not name passes: \(ok.output.summary)")

                let blocked = try await fixture.lab.curlFromClient(["-H", "Host: www.blocked.test", "http://\(LabHandle.serverAddress)/"], maxTime: 5)
                #expect(
                    [28, 52, 56].contains(blocked.exit) && blocked.httpCode == "000",
                    "the request for www.blocked.test is dropped: no response (curl 28, 52 or 56): \(blocked.output.summary)"
                )

                let alert = await fixture.lab.waitForEveEvents { events in
                    events.first { $0.event_type == "alert" && $0.alert?.signature_id == 10 }
                }
                #expect(alert != nil, "no EVE alert with signature_id 10 within 5 s; \(fixture.lab.eveSummary())")
                if let alert {
                    #expect(alert.alert?.action == "blocked", "the drop rule's alert says blocked: \(alert)")
                    #expect(alert.alert?.signature == "blocked host", "\(alert)")
                    #expect(alert.http?.hostname == "www.blocked.test", "the alert carries the request's host: \(alert)")
                    #expect(alert.dest_ip == LabHandle.serverAddress && alert.dest_port == 80, "\(alert)")
                }
                let okAlerts = fixture.lab.eveEvents().filter { $0.alert != nil && $0.http?.hostname == "ok.test" }
                #expect(okAlerts.isEmpty, "the ok.test request raised no alert: \(okAlerts)")
            }
        }

        @Test("(c) a dns.query alert rule logs the query for evil.test and lets its answer through")
        func dnsQueryAlert() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run { fixture in
                let rules = #"alert dns $HOME_NET any -> any any (msg:"dns lookup"; dns.query; content:"evil.test"; nocase; sid:20;)"#
                try await fixture.createFirewall(ruleGroup: RuleGroup(RulesSource: RulesSource(RulesString: rules)))
                try await fixture.labUp(workers: 2)
                let responder = try await fixture.lab.startDNSResponder()
                try await fixture.waitUntilInSync(workers: 2)

                // A name the rule does not match first, from its own socket (its own flow).
                let fine = try await fixture.lab.dnsQueryFromClient(name: "fine.test")
                #expect(fine.answer == LabHandle.serverAddress, "a plain query is answered through the firewall: \(fine.output.summary)")
                let evil = try await fixture.lab.dnsQueryFromClient(name: "evil.test")
                #expect(evil.answer == LabHandle.serverAddress, "an alert rule does not block: evil.test is answered: \(evil.output.summary)")

                let alert = await fixture.lab.waitForEveEvents { events in
                    events.first { $0.event_type == "alert" && $0.alert?.signature_id == 20 }
                }
                #expect(alert != nil, "no EVE alert with signature_id 20 within 5 s; \(fixture.lab.eveSummary())")
                if let alert {
                    #expect(alert.alert?.action == "allowed", "an alert rule's event says allowed: \(alert)")
                    #expect(alert.alert?.signature == "dns lookup", "\(alert)")
                    #expect(alert.proto == "UDP" && alert.dest_port == 53, "\(alert)")
                    if let port = evil.sourcePort {
                        #expect(alert.src_port == port, "the alert is on the evil.test query's flow (client port \(port)): \(alert)")
                    }
                    let events = fixture.lab.eveEvents()
                    let named = alert.dns?.rrname == "evil.test"
                        || events.contains { $0.event_type == "dns" && $0.isSameFlow(as: alert) && $0.dns?.rrname == "evil.test" }
                    #expect(named, "the alert or a dns event of its flow names rrname evil.test: \(alert); \(fixture.lab.eveSummary())")
                }
                if let port = fine.sourcePort {
                    let wrong = fixture.lab.eveEvents().filter { $0.alert?.signature_id == 20 && $0.src_port == port }
                    #expect(wrong.isEmpty, "the fine.test query raised no alert: \(wrong)")
                }

                await responder.stop(grace: .seconds(3))
            }
        }
    }
}

// MARK: - helpers

extension E2EFixture {
    /// Rule group `app` holding `ruleGroup`, policy `p` with the lab's client network as `HOME_NET`,
    /// firewall ``firewallName``.
    ///
    /// `HOME_NET` must be set: its default (the private ranges) does not contain the lab's
    /// 198.18.0.0/15 addresses, so neither `$HOME_NET` rules nor a domain list would see its traffic.
    fileprivate func createFirewall(ruleGroup: RuleGroup, capacity: Int = 100) async throws {
        let request = CreateRuleGroupRequest(RuleGroupName: "app", Type: .STATEFUL, Capacity: capacity, RuleGroup: ruleGroup)
        let group = try await api.send("POST", "/v1/rule-groups", json: request).expect(201).decode(RuleGroupOutput.self)
        let policy = FirewallPolicy(
            StatelessDefaultActions: ["aws:forward_to_sfe"], StatelessFragmentDefaultActions: ["aws:forward_to_sfe"],
            StatefulRuleGroupReferences: [StatefulRuleGroupReference(ResourceArn: group.RuleGroupResponse.RuleGroupArn)],
            PolicyVariables: PolicyVariables(RuleVariables: ["HOME_NET": IPSet(Definition: ["198.18.0.0/24"])])
        )
        let created = try await api.send(
            "POST", "/v1/firewall-policies", json: CreateFirewallPolicyRequest(FirewallPolicyName: "p", FirewallPolicy: policy)
        ).expect(201).decode(FirewallPolicyOutput.self)
        try await createFirewall(name: Self.firewallName, policyArn: created.FirewallPolicyResponse.FirewallPolicyArn)
    }
}

extension EveEvent {
    /// Whether both records are of one flow: the same `flow_id` (each worker starts its ids at a
    /// random number) and the same client port, in either direction.
    fileprivate func isSameFlow(as other: EveEvent) -> Bool {
        guard let id = flow_id, id == other.flow_id else { return false }
        return Set([src_port, dest_port]) == Set([other.src_port, other.dest_port])
    }
}

/// What a DNS query from the client got back.
struct DNSQueryResult: Sendable {
    /// The client socket's port, the query's source port (`nil` when the script did not get to say).
    var sourcePort: UInt16?
    /// The first A record of the answer, `nil` when there was none within 2 s.
    var answer: String?
    var output: ProcessOutput
}

extension LabHandle {
    /// `curl -sS -m maxTime -o /dev/null -w %{http_code} ARGUMENTS` from the client: through the firewall.
    fileprivate func curlFromClient(_ arguments: [String], maxTime: Int) async throws -> CurlResult {
        let output = try await exec(
            .client, ["curl", "-sS", "-m", String(maxTime), "-o", "/dev/null", "-w", "%{http_code}"] + arguments,
            timeout: .seconds(maxTime + 10)
        )
        return CurlResult(exit: output.status, httpCode: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines), duration: output.duration, output: output)
    }

    /// ``startHTTPSServer(on:address:port:certificate:key:)`` on 198.19.0.2:PORT with a throwaway
    /// self-signed P-256 certificate for `certificateNames`.
    fileprivate func startTLSServer(port: Int, certificateNames: [String]) async throws -> ChildProcess {
        let directory = runDirectory + "/tls"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificate = directory + "/cert.pem", key = directory + "/key.pem"
        let generated = try await Subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", certificate, "-subj", "/CN=\(certificateNames[0])",
                "-addext", "subjectAltName=" + certificateNames.map { "DNS:\($0)" }.joined(separator: ","), "-days", "1",
            ],
            timeout: .seconds(30)
        )
        guard generated.status == 0 else { throw E2EFailure("cannot make the test certificate:\n\(generated.summary)") }
        return try await startHTTPSServer(port: port, certificate: certificate, key: key)
    }

    /// A UDP DNS responder on 198.19.0.2:53 in the server namespace that answers every query with
    /// one A record, 198.19.0.2, once it is bound. Teardown stops it when the test does not.
    fileprivate func startDNSResponder() async throws -> ChildProcess {
        let responder = """
            import socket, struct, sys
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((sys.argv[1], 53))
            address = socket.inet_aton(sys.argv[1])
            while True:
                query, peer = sock.recvfrom(512)
                if len(query) < 17:
                    continue
                query_id, flags = struct.unpack("!HH", query[:4])
                end = 12
                while end < len(query) and query[end] != 0:
                    end += query[end] + 1
                question = query[12:end + 5]
                header = struct.pack("!HHHHHH", query_id, 0x8080 | (flags & 0x0100), 1, 1, 0, 0)
                answer = b"\\xc0\\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + address
                sock.sendto(header + question + answer, peer)
            """
        let process = try Subprocess.spawn(
            ["ip", "netns", "exec", namespace(.server), python, "-c", responder, Self.serverAddress],
            logPath: runDirectory + "/dns-53.log"
        )
        adopt(pids: [process.pid])
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw E2EFailure("the DNS responder exited\n\(Diagnostics.tail(runDirectory + "/dns-53.log"))")
            }
            let bound = try await exec(.server, ["ss", "-Hlun", "sport = :53"], timeout: .seconds(5))
            if bound.status == 0, !bound.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                return process
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        throw E2EFailure("nothing is bound to \(Self.serverAddress):53/udp in \(namespace(.server)) after 10 s")
    }

    /// One DNS query (type A, recursion desired) for `name` from the client to 198.19.0.2:53 over
    /// UDP, built by hand in Python (the lab has no `dig`), waiting 2 s for the answer.
    fileprivate func dnsQueryFromClient(name: String) async throws -> DNSQueryResult {
        let client = """
            import os, socket, struct, sys
            name, server = sys.argv[1], sys.argv[2]
            query_id = int.from_bytes(os.urandom(2), "big")
            question = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\\x00" + struct.pack("!HH", 1, 1)
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind(("0.0.0.0", 0))
            print("port", sock.getsockname()[1], flush=True)
            sock.settimeout(2)
            sock.sendto(struct.pack("!HHHHHH", query_id, 0x0100, 1, 0, 0, 0) + question, (server, 53))
            try:
                reply, _ = sock.recvfrom(512)
            except socket.timeout:
                print("no answer within 2 s")
                sys.exit(2)
            reply_id, _, _, answers = struct.unpack("!HHHH", reply[:8])
            if reply_id != query_id or answers < 1 or len(reply) < 16:
                print("unexpected reply", reply.hex())
                sys.exit(3)
            print("answer", socket.inet_ntoa(reply[-4:]))
            """
        let output = try await exec(.client, [python, "-c", client, name, Self.serverAddress], timeout: .seconds(15))
        var result = DNSQueryResult(output: output)
        for line in output.stdout.split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ")
            guard words.count == 2 else { continue }
            switch words[0] {
            case "port": result.sourcePort = UInt16(words[1])
            case "answer": result.answer = String(words[1])
            default: break
            }
        }
        return result
    }

    /// Every complete EVE line that decodes as Shared's ``EveEvent``.
    func eveEvents() -> [EveEvent] {
        eveLines().compactMap { try? JSONDecoder().decode(EveEvent.self, from: $0.raw) }
    }

    /// Polls the EVE log (at most `timeout`; the workers flush every 0.2 s) until `find` returns
    /// something for the events so far.
    func waitForEveEvents<T>(timeout: Duration = .seconds(5), _ find: ([EveEvent]) -> T?) async -> T? {
        let deadline = ContinuousClock.now + timeout
        repeat {
            if let found = find(eveEvents()) { return found }
            try? await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < deadline
        return nil
    }

    /// The EVE log's last lines, raw, for a failure message.
    fileprivate func eveSummary(lines count: Int = 12) -> String {
        let lines = eveLines()
        let undecoded = lines.filter { (try? JSONDecoder().decode(EveEvent.self, from: $0.raw)) == nil }.count
        return "\(eveLog) has \(lines.count) lines (\(undecoded) not decodable as EveEvent); the last:\n"
            + lines.suffix(count).map(\.description).joined(separator: "\n")
    }
}
