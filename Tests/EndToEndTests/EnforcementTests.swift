import Foundation
import Glibc
import Shared
import Testing

extension EndToEnd {
    /// Traffic from the lab's client to its server, through two workers, under stateful rules.
    @Suite(
        "Enforcement",
        .enabled(if: E2EEnvironment.labTestsEnabled, "needs root and network namespaces (under CI=true these tests fail instead)")
    )
    struct Enforcement {
        /// The port the rules are about, and a port they leave alone: curl succeeding on the
        /// second shows the data plane forwards, so a failure on the first is the rule's doing.
        static let blockedPort = 8080
        static let openPort = 8081

        @Test("(a) with no rules, curl from the client reaches the server")
        func noRulesPasses() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run { fixture in
                try await fixture.createFirewall(rules: nil)
                try await fixture.labUp(workers: 2)
                try await fixture.lab.startHTTPServer(port: Self.blockedPort)
                try await fixture.waitUntilInSync(workers: 2)

                let result = try await fixture.lab.curlFromClient(port: Self.blockedPort)
                #expect(result.exit == 0 && result.httpCode == "200", "\(result.output.summary)")
            }
        }

        @Test("(b) a stateful drop rule makes curl time out and logs an EVE drop event")
        func dropTimesOut() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run { fixture in
                try await fixture.createFirewall(rules: #"drop tcp any any -> any 8080 (msg:"block 8080"; sid:1;)"#)
                try await fixture.labUp(workers: 2)
                try await fixture.lab.startHTTPServer(port: Self.blockedPort)
                try await fixture.lab.startHTTPServer(port: Self.openPort)
                try await fixture.waitUntilInSync(workers: 2)

                let open = try await fixture.lab.curlFromClient(port: Self.openPort)
                #expect(open.exit == 0 && open.httpCode == "200", "the port no rule names must pass: \(open.output.summary)")

                let blocked = try await fixture.lab.curlFromClient(port: Self.blockedPort, maxTime: 3)
                #expect(blocked.exit == 28, "curl -m 3 must time out (exit 28) on a dropped port: \(blocked.output.summary)")

                let drop = await fixture.lab.waitForEvent { $0.fields?.event_type == "drop" && $0.fields?.dest_port == Self.blockedPort }
                let lines = fixture.lab.eveLines()
                #expect(drop != nil, "no EVE drop event with dest_port 8080 in \(fixture.lab.eveLog) within 5 s; \(lines.count) lines: \(lines.suffix(5))")
                if let drop {
                    #expect(drop.fields?.dest_ip == LabHandle.serverAddress)
                    #expect(throws: Never.self, "a drop event decodes as Shared's EveEvent: \(drop)") {
                        try JSONDecoder().decode(EveEvent.self, from: drop.raw)
                    }
                }
            }
        }

        @Test("(c) a stateful reject rule makes curl fail at once")
        func rejectFailsFast() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run { fixture in
                try await fixture.createFirewall(rules: #"reject tcp any any -> any 8080 (msg:"reject 8080"; sid:1;)"#)
                try await fixture.labUp(workers: 2)
                try await fixture.lab.startHTTPServer(port: Self.blockedPort)
                try await fixture.lab.startHTTPServer(port: Self.openPort)
                try await fixture.waitUntilInSync(workers: 2)

                let open = try await fixture.lab.curlFromClient(port: Self.openPort)
                #expect(open.exit == 0 && open.httpCode == "200", "the port no rule names must pass: \(open.output.summary)")

                let rejected = try await fixture.lab.curlFromClient(port: Self.blockedPort, maxTime: 3)
                #expect(
                    rejected.exit == 7 || rejected.exit == 56,
                    "a rejected connection is refused (7) or reset (56): \(rejected.output.summary)"
                )
                #expect(rejected.duration < .milliseconds(1500), "a reject answers at once, not after a timeout: took \(rejected.duration)")
            }
        }

        @Test("(d) an update with its UpdateToken changes enforcement without restarting workers, PENDING then IN_SYNC")
        func updateWithoutRestart() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run { fixture in
                try await fixture.createFirewall(rules: #"drop tcp any any -> any 9 (msg:"block discard"; sid:1;)"#)
                try await fixture.labUp(workers: 2)
                try await fixture.lab.startHTTPServer(port: Self.blockedPort)
                try await fixture.lab.startHTTPServer(port: Self.openPort)
                let before = try await fixture.waitUntilInSync(workers: 2)

                let passes = try await fixture.lab.curlFromClient(port: Self.blockedPort)
                try #require(passes.exit == 0 && passes.httpCode == "200", "before the update, 8080 passes: \(passes.output.summary)")

                let pids = fixture.lab.workerPIDs()
                try #require(pids.count == 2, "RUN/workers.pid lists two workers: \(pids)")
                #expect(Set(try await fixture.workers().map { Int32($0.Pid) }) == Set(pids), "/v1/workers reports the pids the lab started")

                let group = try await fixture.api.get("/v1/rule-groups/stateful/web", as: RuleGroupOutput.self)
                let update = UpdateRuleGroupRequest(
                    UpdateToken: group.UpdateToken,
                    RuleGroup: RuleGroup(RulesSource: RulesSource(RulesString: #"drop tcp any any -> any 8080 (msg:"block 8080"; sid:1;)"#))
                )

                // One worker is paused while the update lands, so it cannot have applied it yet:
                // the firewall must say PENDING until it resumes.
                let paused = pids[0]
                kill(paused, SIGSTOP)
                var sawPending = false
                do {
                    defer { kill(paused, SIGCONT) }
                    try await fixture.api.send("PUT", "/v1/rule-groups/stateful/web", json: update).expect(200)
                    let deadline = ContinuousClock.now + .seconds(3)
                    repeat {
                        sawPending = try await fixture.describeFirewall().FirewallStatus.ConfigurationSyncStateSummary == .PENDING
                        if !sawPending { try? await Task.sleep(for: .milliseconds(50)) }
                    } while !sawPending && ContinuousClock.now < deadline
                }
                #expect(sawPending, "DescribeFirewall says PENDING while a worker has not applied the update")

                let after = try await fixture.waitUntilInSync(workers: 2, previous: before, timeout: .seconds(5))
                #expect(after != before)
                let applied = try await fixture.workers()
                #expect(applied.allSatisfy { $0.AppliedDigest == after }, "both workers applied the new digest: \(applied)")

                let dropped = try await fixture.lab.curlFromClient(port: Self.blockedPort, maxTime: 3)
                #expect(dropped.exit == 28, "after the update, 8080 is dropped: \(dropped.output.summary)")
                let open = try await fixture.lab.curlFromClient(port: Self.openPort)
                #expect(open.exit == 0 && open.httpCode == "200", "8081 still passes: \(open.output.summary)")

                #expect(fixture.lab.workerPIDs() == pids, "no worker was restarted")
                #expect(pids.allSatisfy(Subprocess.isAlive), "the workers still run")
                #expect(Set(try await fixture.workers().map { Int32($0.Pid) }) == Set(pids), "the same worker processes report the new digest")
            }
        }
    }
}
