import Foundation
import Glibc
import Shared

/// The certificates of the TLS inspection tests, made with the openssl CLI in the test's directory:
/// an inspection CA (imported into Rampart), a server CA (trusted for upstream servers through
/// `rampart serve --upstream-trust-bundle`) and server leaves it signs, all ECDSA P-256. Leaves may name an
/// OCSP responder (AIA); `index.txt` is the responder's database (`openssl ocsp -index`).
struct TLSLabPKI {
    /// One server certificate to make.
    struct Leaf {
        var name: String
        /// The AIA OCSP URL, if any.
        var ocspURL: String?
        var revoked = false
    }

    let directory: String

    var inspectionCA: String { directory + "/inspection-ca.pem" }
    var inspectionKey: String { directory + "/inspection-ca.key" }
    var serverCA: String { directory + "/server-ca.pem" }
    var serverCAKey: String { directory + "/server-ca.key" }
    var ocspIndex: String { directory + "/index.txt" }
    func certificate(_ name: String) -> String { directory + "/\(name).pem" }
    func key(_ name: String) -> String { directory + "/\(name).key" }

    /// Makes the two CAs and `leaves` under `directory`/pki.
    static func make(in directory: String, leaves: [Leaf]) async throws -> TLSLabPKI {
        let pki = TLSLabPKI(directory: directory + "/pki")
        try FileManager.default.createDirectory(atPath: pki.directory, withIntermediateDirectories: true)
        var script = """
            set -e
            cd "$1"
            ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
            ca_ext="-addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
            openssl req -x509 $ec -keyout inspection-ca.key -out inspection-ca.pem -subj "/CN=Rampart Test Inspection CA" -days 30 $ca_ext
            openssl req -x509 $ec -keyout server-ca.key -out server-ca.pem -subj "/CN=Rampart Test Server CA" -days 30 $ca_ext
            : > index.txt

            """
        for leaf in leaves {
            let aia = leaf.ocspURL.map { "authorityInfoAccess=OCSP;URI:\($0)\n" } ?? ""
            script += """
                openssl req $ec -keyout \(leaf.name).key -out \(leaf.name).csr -subj "/CN=\(leaf.name)"
                printf 'subjectAltName=DNS:\(leaf.name)\\nbasicConstraints=CA:false\\nkeyUsage=digitalSignature\\nextendedKeyUsage=serverAuth\\n\(aia)' > \(leaf.name).ext
                openssl x509 -req -in \(leaf.name).csr -CA server-ca.pem -CAkey server-ca.key -set_serial 0x$(openssl rand -hex 8) \\
                    -days 20 -extfile \(leaf.name).ext -out \(leaf.name).pem
                serial=$(openssl x509 -in \(leaf.name).pem -noout -serial | cut -d= -f2)
                expiry=$(date -u -d "+20 days" +%y%m%d%H%M%SZ)
                if [ "\(leaf.revoked ? "R" : "V")" = R ]; then
                    printf 'R\\t%s\\t%s\\t%s\\tunknown\\t/CN=\(leaf.name)\\n' "$expiry" "$(date -u -d '-1 hour' +%y%m%d%H%M%SZ)" "$serial" >> index.txt
                else
                    printf 'V\\t%s\\t\\t%s\\tunknown\\t/CN=\(leaf.name)\\n' "$expiry" "$serial" >> index.txt
                fi

                """
        }
        let made = try await Subprocess.run(["bash", "-c", script, "pki", pki.directory], timeout: .seconds(60))
        guard made.status == 0 else { throw E2EFailure("cannot make the test PKI:\n\(made.summary)") }
        return pki
    }
}

extension E2EFixture {
    /// The inspection CA imported into Rampart (`POST /v1/certificates`); its ARN.
    func importCertificate(certificate: String, key: String) async throws -> String {
        let request = ImportCertificateRequest(
            Certificate: try String(contentsOfFile: certificate, encoding: .utf8), PrivateKey: try String(contentsOfFile: key, encoding: .utf8)
        )
        return try await api.send("POST", "/v1/certificates", json: request).expect(201).decode(ImportCertificateOutput.self).CertificateArn
    }

    /// `POST /v1/tls-inspection-configurations`; its ARN.
    func createTLSConfiguration(name: String, _ configuration: TLSInspectionConfiguration) async throws -> String {
        let request = CreateTLSInspectionConfigurationRequest(TLSInspectionConfigurationName: name, TLSInspectionConfiguration: configuration)
        return try await api.send("POST", "/v1/tls-inspection-configurations", json: request).expect(201)
            .decode(TLSInspectionConfigurationOutput.self).TLSInspectionConfigurationResponse.TLSInspectionConfigurationArn
    }

    /// Replaces the TLS inspection configuration `name` with the token of a fresh describe.
    func updateTLSConfiguration(name: String, _ configuration: TLSInspectionConfiguration) async throws {
        let current = try await api.get("/v1/tls-inspection-configurations/\(name)", as: TLSInspectionConfigurationOutput.self)
        let request = UpdateTLSInspectionConfigurationRequest(UpdateToken: current.UpdateToken, TLSInspectionConfiguration: configuration)
        _ = try await api.send("PUT", "/v1/tls-inspection-configurations/\(name)", json: request).expect(200)
    }

    /// Policy `p` (HOME_NET the lab's client network) with rule group `web` holding `rules`, the TLS
    /// configuration `tlsArn` and session holding as given; firewall ``firewallName`` on it.
    func createTLSFirewall(rules: String?, tlsArn: String?, sessionHolding: Bool = false) async throws {
        let policy = try await tlsPolicy(rules: rules, tlsArn: tlsArn, sessionHolding: sessionHolding)
        let created = try await api.send(
            "POST", "/v1/firewall-policies", json: CreateFirewallPolicyRequest(FirewallPolicyName: "p", FirewallPolicy: policy)
        ).expect(201).decode(FirewallPolicyOutput.self)
        try await createFirewall(name: Self.firewallName, policyArn: created.FirewallPolicyResponse.FirewallPolicyArn)
    }

    /// Replaces policy `p`'s TLS configuration and session holding (same rule group).
    func updateTLSPolicy(tlsArn: String?, sessionHolding: Bool) async throws {
        let current = try await api.get("/v1/firewall-policies/p", as: FirewallPolicyOutput.self)
        guard var policy = current.FirewallPolicy else { throw E2EFailure("policy p has no FirewallPolicy in its describe") }
        policy.TLSInspectionConfigurationArn = tlsArn
        policy.EnableTLSSessionHolding = tlsArn == nil ? nil : sessionHolding
        _ = try await api.send(
            "PUT", "/v1/firewall-policies/p", json: UpdateFirewallPolicyRequest(UpdateToken: current.UpdateToken, FirewallPolicy: policy)
        ).expect(200)
    }

    private func tlsPolicy(rules: String?, tlsArn: String?, sessionHolding: Bool) async throws -> FirewallPolicy {
        var groups: [StatefulRuleGroupReference] = []
        if let rules {
            let group = try await createStatefulRuleGroup(name: "web", rules: rules, capacity: 100)
            groups.append(StatefulRuleGroupReference(ResourceArn: group.RuleGroupResponse.RuleGroupArn))
        }
        return FirewallPolicy(
            StatelessDefaultActions: ["aws:forward_to_sfe"], StatelessFragmentDefaultActions: ["aws:forward_to_sfe"],
            StatefulRuleGroupReferences: groups.isEmpty ? nil : groups,
            TLSInspectionConfigurationArn: tlsArn,
            PolicyVariables: PolicyVariables(RuleVariables: ["HOME_NET": IPSet(Definition: ["198.18.0.0/24"])]),
            EnableTLSSessionHolding: tlsArn == nil ? nil : sessionHolding
        )
    }

    /// One scope: TCP to `ports` (inclusive ranges), optionally only toward `destination`.
    static func tlsScope(ports: [ClosedRange<Int>], destination: String? = nil) -> ServerCertificateScope {
        ServerCertificateScope(
            Destinations: destination.map { [Address(AddressDefinition: $0)] },
            DestinationPorts: ports.map { PortRange(FromPort: $0.lowerBound, ToPort: $0.upperBound) }, Protocols: [6]
        )
    }
}

/// What curl saw of an HTTPS request.
struct HTTPSResult: Sendable {
    var exit: Int32
    var httpCode: String
    /// The issuer of the certificate curl was shown (from `-v`), e.g. `CN=Rampart Test Inspection CA`.
    var issuer: String?
    var subject: String?
    var output: ProcessOutput
}

extension LabHandle {
    /// An HTTPS server (Python's `http.server`, HTTP/1.1 with keep-alive, a thread per connection) on
    /// ADDRESS:PORT in `host`'s namespace, serving ``documentRoot`` with `certificate` and `key`, once it
    /// listens. Teardown stops it when the test does not.
    @discardableResult
    func startHTTPSServer(on host: LabHost = .server, address: String = serverAddress, port: Int, certificate: String, key: String) async throws -> ChildProcess {
        let server = """
            import functools, http.server, socketserver, ssl, sys
            address, port, certificate, key, root = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(certificate, key)
            class Handler(http.server.SimpleHTTPRequestHandler):
                protocol_version = "HTTP/1.1"
            handler = functools.partial(Handler, directory=root)
            class Server(socketserver.ThreadingTCPServer):
                allow_reuse_address = True
                daemon_threads = True
                def finish_request(self, request, client_address):
                    request.settimeout(30)
                    try:
                        tls = context.wrap_socket(request, server_side=True)
                    except OSError as error:
                        print("handshake with", client_address, "failed:", error, flush=True)
                        return
                    try:
                        self.RequestHandlerClass(tls, client_address, self)
                    finally:
                        tls.close()
            Server((address, port), handler).serve_forever()
            """
        let log = runDirectory + "/https-\(port).log"
        let process = try Subprocess.spawn(
            ["ip", "netns", "exec", namespace(host), python, "-c", server, address, String(port), certificate, key, documentRoot],
            logPath: log
        )
        adopt(pids: [process.pid])
        try await waitUntilListening(on: host, port: port, process: process, log: log)
        return process
    }

    /// `openssl ocsp` answering for `pki`'s server CA on PORT in the server namespace, once it listens.
    @discardableResult
    func startOCSPResponder(pki: TLSLabPKI, port: Int) async throws -> ChildProcess {
        let log = runDirectory + "/ocsp-\(port).log"
        let process = try Subprocess.spawn(
            [
                "ip", "netns", "exec", namespace(.server), "openssl", "ocsp", "-index", pki.ocspIndex, "-port", String(port),
                "-rsigner", pki.serverCA, "-rkey", pki.serverCAKey, "-CA", pki.serverCA, "-ndays", "1",
            ],
            logPath: log
        )
        adopt(pids: [process.pid])
        try await waitUntilListening(on: .server, port: port, process: process, log: log)
        return process
    }

    /// `curl -v https://NAME:PORT/PATH` from `host` with `--resolve` to ADDRESS and `cacert` trusted.
    func curlHTTPS(
        from host: LabHost = .client, name: String, address: String = serverAddress, port: Int = 443, path: String = "/",
        cacert: String, maxTime: Int = 5
    ) async throws -> HTTPSResult {
        let output = try await exec(
            host,
            [
                "curl", "-sS", "-v", "-m", String(maxTime), "-o", "/dev/null", "-w", "%{http_code}", "--cacert", cacert,
                "--resolve", "\(name):\(port):\(address)", "https://\(name):\(port)\(path)",
            ],
            timeout: .seconds(maxTime + 10)
        )
        func field(_ label: String) -> String? {
            output.stderr.split(whereSeparator: \.isNewline).lazy.compactMap { line -> String? in
                guard let range = line.range(of: "*  \(label): ") else { return nil }
                return String(line[range.upperBound...])
            }.first
        }
        return HTTPSResult(
            exit: output.status, httpCode: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines), issuer: field("issuer"),
            subject: field("subject"), output: output
        )
    }

    /// The `tls` event the TLS engine wrote for a connection whose client asked for `sni` on `port`,
    /// among the events after the first `skipping` (the latest such one).
    func waitForInspection(sni: String, port: Int, skipping: Int = 0, timeout: Duration = .seconds(5)) async -> EveEvent? {
        await waitForEveEvents(timeout: timeout) { events in
            events.dropFirst(skipping).last {
                $0.event_type == "tls" && $0.tls?.inspection != nil && $0.tls?.sni == sni && $0.dest_port == UInt16(port)
            }
        }
    }
}
