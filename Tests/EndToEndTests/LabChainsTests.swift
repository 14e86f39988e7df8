import Foundation
import Shared
import Testing

extension EndToEnd {
    /// `rampart lab up|down` itself, with a stand-in worker, so it is checked apart from the data
    /// plane: the topology, the iptables chains (whose marks must be Shared's `PacketMarks`, which
    /// the lab cannot import), idempotence and cleanup.
    @Suite(
        "Lab chains",
        .enabled(if: E2EEnvironment.labTestsEnabled, "needs root and network namespaces (under CI=true these tests fail instead)")
    )
    struct LabChains {
        /// `0x1000000/0x1000000`, as `iptables -S` prints a mark under itself as the mask.
        static func markSpec(_ bit: UInt32) -> String { "\(hex(bit))/\(hex(bit))" }
        static func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }

        /// A worker stand-in: says what it was given, then sleeps (bounded), keeping its
        /// arguments on its command line as a real worker does.
        static let standIn = """
            #!/bin/sh
            echo "stand-in worker $$: $*"
            exec /usr/bin/python3 -c 'import time; time.sleep(300)' "$@"
            """

        @Test("lab up installs Rampart's chains with PacketMarks' values; up twice is fine; down leaves nothing")
        func upTwiceAndDown() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run(controlPlane: false) { fixture in
                let lab = fixture.lab
                let standIn = fixture.directory + "/stand-in-worker"
                try Data(Self.standIn.utf8).write(to: URL(fileURLWithPath: standIn))
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: standIn)
                let control = fixture.directory + "/rampart.sock"

                // 1. Fail open: nothing listens on the queues, so packets bypass them and the
                //    topology itself is what curl exercises.
                let first = try await lab.up(control: control, firewall: "fw", workers: 2, failOpen: true, workerBinary: standIn)
                #expect(first.stdout.contains("198.18.0.2") && first.stdout.contains("198.19.0.2"), "lab up prints the addresses: \(first.stdout)")
                #expect(first.stdout.contains(lab.eveLog), "lab up prints the paths: \(first.stdout)")
                try await checkChains(lab, queueSpec: "--queue-balance 0:1", failOpen: true)
                try await checkForwarding(lab)

                let firstPIDs = lab.workerPIDs()
                #expect(firstPIDs.count == 2 && firstPIDs.allSatisfy(Subprocess.isAlive), "two workers run: \(firstPIDs)")
                for queue in 0..<2 {
                    let log = (try? String(contentsOfFile: lab.workerLog(queue: queue), encoding: .utf8)) ?? ""
                    let expected = "run --queue \(queue) --control \(control) --firewall fw --state-dir \(lab.workerStateDirectory) --eve \(lab.eveLog)"
                    #expect(log.contains(expected), "worker \(queue) got `\(expected)`; its log: \(log)")
                }

                try await lab.startHTTPServer(port: 8080)
                let through = try await lab.curlFromClient(port: 8080)
                #expect(through.exit == 0 && through.httpCode == "200", "client → firewall → server, queues bypassed: \(through.output.summary)")
                await lab.stopHTTPServer(port: 8080)

                // 2. Up again, fail closed with one worker: the old lab is taken down first.
                try await lab.up(control: control, firewall: "fw", workers: 1, workerBinary: standIn)
                #expect(!firstPIDs.contains(where: Subprocess.isAlive), "the first lab's workers are gone: \(firstPIDs)")
                let secondPIDs = lab.workerPIDs()
                #expect(secondPIDs.count == 1 && secondPIDs.allSatisfy(Subprocess.isAlive), "one worker runs: \(secondPIDs)")
                try await checkChains(lab, queueSpec: "--queue-num 0", failOpen: false)

                try await lab.startHTTPServer(port: 8080)
                let closed = try await lab.curlFromClient(port: 8080, maxTime: 2)
                #expect(closed.exit == 28, "fail closed: with no worker bound to the queue nothing passes: \(closed.output.summary)")
                await lab.stopHTTPServer(port: 8080)

                // 3. Down, twice.
                let down = try await lab.down()
                #expect(down.status == 0, "\(down.summary)")
                #expect(!secondPIDs.contains(where: Subprocess.isAlive), "lab down stops the workers: \(secondPIDs)")
                let namespaces = try await Subprocess.run(["ip", "netns", "list"], timeout: .seconds(10)).stdout
                #expect(!namespaces.contains("\(lab.prefix)-"), "lab down deletes the namespaces: \(namespaces)")
                #expect(!FileManager.default.fileExists(atPath: lab.pidFile), "lab down removes the pid file")
                let again = try await lab.down()
                #expect(again.status == 0, "lab down with nothing to do succeeds: \(again.summary)")
            }
        }

        /// The mangle and filter chains of both families hold PacketMarks' values, in the right
        /// rules, and are jumped to exactly once.
        func checkChains(_ lab: LabHandle, queueSpec: String, failOpen: Bool) async throws {
            let accept = Self.markSpec(PacketMarks.acceptFlow)
            let drop = Self.markSpec(PacketMarks.dropFlow)
            let reject = Self.markSpec(PacketMarks.reject)
            let mask = Self.hex(PacketMarks.mask)
            let divert = Self.markSpec(PacketMarks.divertTLS)
            for (command, unreachable, any) in [
                ("iptables-legacy", "icmp-port-unreachable", "0.0.0.0"), ("ip6tables-legacy", "icmp6-port-unreachable", "::"),
            ] {
                let pre = try await lab.exec(.fw, [command, "-w", "5", "-t", "mangle", "-S", "RAMPART-PRE"])
                try #require(pre.status == 0, "\(pre.summary)")
                let expectedPre = [
                    "-A RAMPART-PRE -i lo -j RETURN",
                    "-A RAMPART-PRE -p tcp -m socket --transparent -j MARK --set-xmark \(divert)",
                    "-A RAMPART-PRE -p tcp -m mark --mark \(divert) -m socket --transparent -j ACCEPT",
                    "-A RAMPART-PRE -p tcp -m mark --mark \(divert) -j CONNMARK --save-mark --nfmask \(mask) --ctmask \(mask)",
                    "-A RAMPART-PRE -p tcp -m mark --mark \(divert) -j TPROXY --on-port \(TLSDiversion.defaultPort) --on-ip \(any) --tproxy-mark \(divert)",
                    "-A RAMPART-PRE -p tcp -m connmark --mark \(divert) -j DROP",
                    "-A RAMPART-PRE -m connmark --mark \(accept) -j ACCEPT",
                    "-A RAMPART-PRE -m connmark --mark \(drop) -j DROP",
                    "-A RAMPART-PRE -m mark --mark \(accept) -j CONNMARK --save-mark --nfmask \(mask) --ctmask \(mask)",
                    "-A RAMPART-PRE -m mark --mark \(accept) -j ACCEPT",
                    "-A RAMPART-PRE -m mark --mark \(drop) -j CONNMARK --save-mark --nfmask \(mask) --ctmask \(mask)",
                    "-A RAMPART-PRE -m mark --mark \(drop) -j DROP",
                    "-A RAMPART-PRE -j NFQUEUE \(queueSpec)\(failOpen ? " --queue-bypass" : "")",
                ]
                #expect(Self.rules(pre.stdout) == expectedPre, "\(command) mangle RAMPART-PRE:\n\(pre.stdout)")

                let fwd = try await lab.exec(.fw, [command, "-w", "5", "-t", "filter", "-S", "RAMPART-FWD"])
                try #require(fwd.status == 0, "\(fwd.summary)")
                let expectedFwd = [
                    "-A RAMPART-FWD -m mark --mark \(reject) -j CONNMARK --set-xmark \(drop)",
                    "-A RAMPART-FWD -p tcp -m mark --mark \(reject) -j REJECT --reject-with tcp-reset",
                    "-A RAMPART-FWD -m mark --mark \(reject) -j REJECT --reject-with \(unreachable)",
                ]
                #expect(Self.rules(fwd.stdout) == expectedFwd, "\(command) filter RAMPART-FWD:\n\(fwd.stdout)")

                for (table, hook, chain) in [("mangle", "PREROUTING", "RAMPART-PRE"), ("filter", "FORWARD", "RAMPART-FWD")] {
                    let builtIn = try await lab.exec(.fw, [command, "-w", "5", "-t", table, "-S", hook])
                    let jumps = Self.rules(builtIn.stdout).filter { $0 == "-A \(hook) -j \(chain)" }
                    #expect(jumps.count == 1, "\(command) \(table) \(hook) jumps to \(chain) once:\n\(builtIn.stdout)")
                }
            }
        }

        /// Forwarding on in the firewall namespace only; addresses and routes as documented.
        func checkForwarding(_ lab: LabHandle) async throws {
            let fw = try await lab.exec(.fw, ["sysctl", "-n", "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"])
            #expect(fw.stdout.split(whereSeparator: \.isNewline) == ["1", "1"], "forwarding in \(lab.namespace(.fw)): \(fw.summary)")
            for host in [LabHost.client, .server] {
                let forwarding = try await lab.exec(host, ["sysctl", "-n", "net.ipv4.ip_forward"])
                #expect(forwarding.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "no forwarding in \(lab.namespace(host))")
            }
            let client = try await lab.exec(.client, ["ip", "-4", "-o", "addr", "show", "dev", "c0"])
            #expect(client.stdout.contains("198.18.0.2/24"), "\(client.summary)")
            let clientRoute = try await lab.exec(.client, ["ip", "route", "show", "default"])
            #expect(clientRoute.stdout.contains("default via 198.18.0.1 dev c0"), "\(clientRoute.summary)")
            let server = try await lab.exec(.server, ["ip", "-4", "-o", "addr", "show", "dev", "s0"])
            #expect(server.stdout.contains("198.19.0.2/24"), "\(server.summary)")
            let serverRoute = try await lab.exec(.server, ["ip", "route", "show", "default"])
            #expect(serverRoute.stdout.contains("default via 198.19.0.1 dev s0"), "\(serverRoute.summary)")
            let firewall = try await lab.exec(.fw, ["ip", "-4", "-o", "addr", "show"])
            #expect(firewall.stdout.contains("fw-c") && firewall.stdout.contains("198.18.0.1/24"), "\(firewall.summary)")
            #expect(firewall.stdout.contains("fw-s") && firewall.stdout.contains("198.19.0.1/24"), "\(firewall.summary)")
        }

        /// The `-A` lines of `iptables -S` output.
        static func rules(_ output: String) -> [String] {
            output.split(whereSeparator: \.isNewline).map(String.init).filter { $0.hasPrefix("-A ") }
        }
    }
}
