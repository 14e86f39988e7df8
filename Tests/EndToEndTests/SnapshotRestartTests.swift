import Foundation
import Testing

extension EndToEnd {
    /// A worker keeps its last good snapshot on disk and enforces it after a restart, even while
    /// the control plane is down (DESIGN §4).
    @Suite(
        "Snapshot on disk",
        .enabled(if: E2EEnvironment.labTestsEnabled, "needs root and network namespaces (under CI=true these tests fail instead)")
    )
    struct SnapshotOnDisk {
        @Test("(e) a worker restarted while the control plane is stopped enforces its on-disk snapshot")
        func restartWithoutControlPlane() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            try await E2EFixture.run { fixture in
                let lab = fixture.lab
                try await fixture.createFirewall(rules: #"drop tcp any any -> any 8080 (msg:"block 8080"; sid:1;)"#)
                // One worker, so every flow surely goes through the one that is restarted.
                try await fixture.labUp(workers: 1)
                try await lab.startHTTPServer(port: 8080)
                try await lab.startHTTPServer(port: 8081)
                try await fixture.waitUntilInSync(workers: 1)
                let open = try await lab.curlFromClient(port: 8081)
                try #require(open.exit == 0 && open.httpCode == "200", "before the restart, 8081 passes: \(open.output.summary)")
                let dropped = try await lab.curlFromClient(port: 8080)
                try #require(dropped.exit == 28, "before the restart, 8080 is dropped: \(dropped.output.summary)")

                await fixture.controlPlane.stop()
                let pids = lab.workerPIDs()
                try #require(pids.count == 1, "RUN/workers.pid lists one worker: \(pids)")
                let stopped = await Subprocess.stop(pid: pids[0], grace: .seconds(5))
                try #require(stopped, "the worker \(pids[0]) exits on SIGTERM")
                let eventsBefore = lab.eveLines().count

                let worker = try lab.startWorkerByHand(
                    queue: 0, control: fixture.controlPlane.socketPath, firewall: E2EFixture.firewallName
                )
                try lab.writeWorkerPIDs([worker.pid])

                // Fail closed: until the worker is bound to its queue nothing passes, so 8081
                // passing shows it runs, and 8080 still dropped shows it runs the snapshot.
                let reopened = try await lab.curlFromClientUntilOK(port: 8081, timeout: .seconds(15))
                #expect(
                    reopened.exit == 0 && reopened.httpCode == "200",
                    "the restarted worker forwards 8081 within 15 s: \(reopened.output.summary)\n\(Diagnostics.tail(lab.runDirectory + "/worker-q0-by-hand.log"))"
                )
                #expect(worker.isRunning, "the restarted worker keeps running without a control plane")
                let stillDropped = try await lab.curlFromClient(port: 8080, maxTime: 3)
                #expect(stillDropped.exit == 28, "the restarted worker drops 8080 from its on-disk snapshot: \(stillDropped.output.summary)")
                let event = await lab.waitForEvent(skipping: eventsBefore) {
                    $0.fields?.event_type == "drop" && $0.fields?.dest_port == 8080
                }
                #expect(event != nil, "the restarted worker logs the drop to the EVE log")
            }
        }
    }
}
