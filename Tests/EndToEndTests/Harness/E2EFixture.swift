import Foundation
import Glibc
import Shared
import Synchronization
import Testing

/// Everything one end-to-end test runs against: a temporary state directory, a control plane on a
/// free port, a lab with a unique prefix, and an API client. ``run(controlPlane:_:)`` always tears
/// it all down — lab down, control plane killed by pid — whether the test passed, failed or threw.
final class E2EFixture {
    /// The firewall the tests create and the workers enforce.
    static let firewallName = "fw"

    /// The test's own directory: `serve.log`, `admin.token`, `rampart.sock`, `lab/`, `www/`.
    let directory: String
    let controlPlane: ControlPlaneProcess
    let lab: LabHandle
    private(set) var api: APIClient

    private init() throws {
        let prefix = LabPrefix.next()
        directory = "/tmp/rampart-e2e-\(geteuid())/\(prefix)-\(UUID().uuidString.prefix(6).lowercased())"
        let documentRoot = directory + "/www"
        for path in [directory, directory + "/lab", documentRoot] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        try Data("hello from the lab server\n".utf8).write(to: URL(fileURLWithPath: documentRoot + "/index.html"))
        controlPlane = ControlPlaneProcess(stateDirectory: directory, port: try ControlPlaneProcess.freePort())
        lab = LabHandle(prefix: prefix, runDirectory: directory + "/lab", documentRoot: documentRoot)
        api = APIClient(baseURL: controlPlane.baseURL, token: "", scratchDirectory: directory)
    }

    /// Runs `body` with a fresh fixture (the control plane started unless `controlPlane` is
    /// false) and tears it down afterwards, whatever happens.
    static func run(controlPlane: Bool = true, _ body: (E2EFixture) async throws -> Void) async throws {
        let fixture = try E2EFixture()
        do {
            if controlPlane {
                try await fixture.startControlPlane()
            }
            try await body(fixture)
        } catch {
            // The error is reported by the test as it is; the logs that explain it go to stderr
            // before teardown removes them.
            FileHandle.standardError.write(Data("--- diagnostics of \(fixture.lab.prefix) after: \(error)\n\(fixture.diagnostics())\n".utf8))
            await fixture.tearDown()
            throw error
        }
        await fixture.tearDown()
    }

    /// Starts (or restarts) the control plane and points the client at it.
    func startControlPlane() async throws {
        let token = try await controlPlane.start()
        api.token = token
    }

    /// Takes the lab down, stops the control plane and removes the directory (kept when
    /// `RAMPART_E2E_KEEP=1`); problems are recorded as issues, since a test must not leave
    /// namespaces or processes behind.
    func tearDown() async {
        for problem in await lab.tearDown() {
            Issue.record(Comment(rawValue: "teardown: \(problem)"))
        }
        await controlPlane.stop()
        if ProcessInfo.processInfo.environment["RAMPART_E2E_KEEP"] != "1" {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// Log tails that explain a failure.
    func diagnostics() -> String {
        var parts = [Diagnostics.tail(controlPlane.logPath)]
        for queue in 0..<2 {
            parts.append(Diagnostics.tail(lab.workerLog(queue: queue), lines: 20))
        }
        parts.append("(set RAMPART_E2E_KEEP=1 to keep \(directory))")
        return parts.joined(separator: "\n")
    }

    // MARK: - resources

    /// `POST /v1/rule-groups` for a STATEFUL group with `rules`; 201 expected.
    @discardableResult
    func createStatefulRuleGroup(name: String, rules: String, capacity: Int = 10) async throws -> RuleGroupOutput {
        let request = CreateRuleGroupRequest(
            RuleGroupName: name, Type: .STATEFUL, Capacity: capacity,
            RuleGroup: RuleGroup(RulesSource: RulesSource(RulesString: rules))
        )
        return try await api.send("POST", "/v1/rule-groups", json: request).expect(201).decode(RuleGroupOutput.self)
    }

    /// `POST /v1/firewall-policies` forwarding everything to the stateful engine with `groupArns`.
    @discardableResult
    func createPolicy(name: String, statefulGroupArns: [String]) async throws -> FirewallPolicyOutput {
        let policy = FirewallPolicy(
            StatelessDefaultActions: ["aws:forward_to_sfe"], StatelessFragmentDefaultActions: ["aws:forward_to_sfe"],
            StatefulRuleGroupReferences: statefulGroupArns.isEmpty ? nil : statefulGroupArns.map { StatefulRuleGroupReference(ResourceArn: $0) }
        )
        let request = CreateFirewallPolicyRequest(FirewallPolicyName: name, FirewallPolicy: policy)
        return try await api.send("POST", "/v1/firewall-policies", json: request).expect(201).decode(FirewallPolicyOutput.self)
    }

    /// `POST /v1/firewalls`.
    @discardableResult
    func createFirewall(name: String, policyArn: String) async throws -> FirewallOutput {
        let request = CreateFirewallRequest(FirewallName: name, FirewallPolicyArn: policyArn)
        return try await api.send("POST", "/v1/firewalls", json: request).expect(201).decode(FirewallOutput.self)
    }

    /// Rule group `web` with `rules` (none when `nil`), policy `p`, firewall ``firewallName``.
    func createFirewall(rules: String?) async throws {
        var groups: [String] = []
        if let rules {
            groups.append(try await createStatefulRuleGroup(name: "web", rules: rules).RuleGroupResponse.RuleGroupArn)
        }
        let policy = try await createPolicy(name: "p", statefulGroupArns: groups)
        try await createFirewall(name: Self.firewallName, policyArn: policy.FirewallPolicyResponse.FirewallPolicyArn)
    }

    /// `rampart lab up` with `workers` workers on ``firewallName``, talking to this control plane.
    func labUp(workers: Int) async throws {
        try await lab.up(control: controlPlane.socketPath, firewall: Self.firewallName, workers: workers)
    }

    /// `GET /v1/firewalls/NAME`.
    func describeFirewall(_ name: String = firewallName) async throws -> FirewallOutput {
        try await api.get("/v1/firewalls/\(name)", as: FirewallOutput.self)
    }

    /// `GET /v1/workers`, those bound to `firewall`.
    func workers(of firewall: String = firewallName) async throws -> [WorkerSummary] {
        try await api.get("/v1/workers", as: ListWorkersOutput.self).Workers.filter { $0.FirewallName == firewall }
    }

    /// The sum over the firewall's workers of counter `name`, polled (workers report every 5 s) until
    /// `done` accepts it or `timeout` passes; the last sum seen.
    func waitForWorkerCounter(
        _ name: String, timeout: Duration = .seconds(20), until done: (UInt64) -> Bool
    ) async throws -> UInt64 {
        let deadline = ContinuousClock.now + timeout
        var sum = try await workers().reduce(0) { $0 + ($1.Counters[name] ?? 0) }
        while !done(sum), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(500))
            sum = try await workers().reduce(0) { $0 + ($1.Counters[name] ?? 0) }
        }
        return sum
    }

    /// Waits until the firewall is `IN_SYNC` with exactly `count` workers connected, all of which
    /// applied the same digest (other than `previous`); returns that digest.
    @discardableResult
    func waitUntilInSync(workers count: Int, firewall: String = firewallName, previous: String? = nil, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = "nothing observed"
        repeat {
            let status = try await describeFirewall(firewall).FirewallStatus.ConfigurationSyncStateSummary
            let workers = try await workers(of: firewall)
            let digests = Set(workers.map { $0.AppliedDigest ?? "(none)" })
            last = "\(status.rawValue), \(workers.count) workers, queues \(workers.map(\.Queue).sorted()), digests \(digests.sorted())"
                + (workers.compactMap(\.LastNackReason).isEmpty ? "" : ", nacks: \(workers.compactMap(\.LastNackReason))")
            if status == .IN_SYNC, workers.count == count, digests.count == 1, let digest = workers.first?.AppliedDigest, digest != previous {
                return digest
            }
            try? await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < deadline
        throw E2EFailure("firewall \(firewall) not IN_SYNC on \(count) workers\(previous.map { " with a digest other than \($0)" } ?? "") within \(timeout); last: \(last)")
    }
}

/// Unique, short lab prefixes: `rt<pid % 1000, three digits><n>`, so namespace names stay short and two test
/// processes (or two tests) never share one.
enum LabPrefix {
    private static let counter = Mutex(0)

    static func next() -> String {
        let n = counter.withLock { value in
            value += 1
            return value
        }
        return "rt" + String(String(getpid() % 1000 + 1000).dropFirst()) + String(n)
    }
}
