import Foundation
import Testing

extension EndToEnd {
    /// The README's walkthrough, run as written: the commands a newcomer pastes must do what the
    /// README says they do.
    @Suite(
        "README walkthrough",
        .enabled(if: E2EEnvironment.labTestsEnabled, "needs root and network namespaces (under CI=true these tests fail instead)")
    )
    struct ReadmeWalkthrough {
        /// The firewall `scripts/demo-up.sh` creates and the README's commands name.
        static let demoFirewall = "demo"

        @Test("every `bash walkthrough` block of README.md exits as its `# expect: exit N` says")
        func walkthrough() async throws {
            try E2EEnvironment.requireLab()
            try E2EEnvironment.requireBinaries()
            let readme = E2EEnvironment.repositoryRoot + "/README.md"
            let markdown = try String(contentsOfFile: readme, encoding: .utf8)
            let walkthrough = Walkthrough(markdown: markdown)
            try #require(!walkthrough.blocks.isEmpty, "README.md has no ```\(Walkthrough.infoString) blocks")

            try await E2EFixture.run { fixture in
                let lab = fixture.lab
                // What `make run` does after building and starting `rampart serve`: the demo
                // firewall, the lab on it and the HTTP servers in the server namespace.
                var environment = ProcessInfo.processInfo.environment
                environment["PATH"] = E2EEnvironment.binaryDirectory + ":" + (environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin")
                environment["RAMPART"] = E2EEnvironment.binaryDirectory
                environment["API"] = fixture.controlPlane.baseURL
                environment["STATE_DIR"] = fixture.directory
                environment["LAB"] = lab.prefix
                environment["WORKERS"] = "2"
                lab.markUsed()
                let setup = try await Subprocess.run(
                    ["bash", E2EEnvironment.repositoryRoot + "/scripts/demo-up.sh"], timeout: .seconds(120),
                    environment: environment, currentDirectory: E2EEnvironment.repositoryRoot
                )
                if let pids = try? String(contentsOfFile: fixture.directory + "/demo-http.pid", encoding: .utf8) {
                    lab.adopt(pids: pids.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) })
                }
                try #require(setup.status == 0, "scripts/demo-up.sh (the setup of `make run`) failed: \(setup.summary)")
                // `python3 -m http.server --bind` looks its address up in DNS first; allow for it.
                try await lab.waitUntilListening(port: 80, timeout: .seconds(30))
                try await lab.waitUntilListening(port: 8080, timeout: .seconds(30))
                try await fixture.waitUntilInSync(workers: 2, firewall: Self.demoFirewall, timeout: .seconds(30))

                environment["TOKEN"] = fixture.api.token
                let runner = WalkthroughRunner(
                    environment: environment, workingDirectory: E2EEnvironment.repositoryRoot,
                    stateFile: fixture.directory + "/walkthrough.vars"
                )
                for block in walkthrough.blocks {
                    let output = try await runner.run(block)
                    #expect(
                        output.status == block.expectedExit,
                        "\(block) exited \(output.status), the README expects \(block.expectedExit):\n\(block.script)\n\(output.summary)"
                    )
                }
            }
        }
    }
}

/// The walkthrough extractor on its own: no root needed.
@Suite("Walkthrough extraction")
struct WalkthroughExtractionTests {
    @Test("only blocks whose info string is exactly `bash walkthrough`, in order, with their expected exit")
    func extractsWalkthroughBlocks() {
        let markdown = """
            # Title

            ```sh
            make run
            ```

            ```bash walkthrough
            echo one
            ```

            ```bash
            echo not me
            ```

            ```bash walkthrough
            # expect: exit 28
            curl -m 3 http://198.19.0.2:8080/
            ```

            ```bash walkthroughs
            echo not me either
            ```

            <!-- expect: exit 7 -->
            ~~~~ bash walkthrough
            ```
            still inside
            ~~~~

              ```bash walkthrough
              echo indented
                echo more
              ```
            """
        let blocks = Walkthrough(markdown: markdown).blocks
        #expect(blocks.map(\.script) == [
            "echo one",
            "# expect: exit 28\ncurl -m 3 http://198.19.0.2:8080/",
            "```\nstill inside",
            "echo indented\n  echo more",
        ])
        #expect(blocks.map(\.expectedExit) == [0, 28, 7, 0])
        #expect(blocks.map(\.line) == [7, 15, 25, 30])
    }

    @Test("an unclosed block runs to the end; a comment that merely mentions expect does not count")
    func edgeCases() {
        let markdown = "```bash walkthrough\n# we expect: exit 3 here\necho hi"
        let blocks = Walkthrough(markdown: markdown).blocks
        #expect(blocks.count == 1)
        #expect(blocks.first?.expectedExit == 0)
        #expect(blocks.first?.script == "# we expect: exit 3 here\necho hi")
    }

    @Test("variables set by one block reach the next, and each block's exit status is its own")
    func runnerCarriesVariables() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-walkthrough-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let blocks = Walkthrough(markdown: """
            ```bash walkthrough
            token=$(echo abc)
            list=(x y)
            ```

            ```bash walkthrough
            # expect: exit 3
            test "$token" = abc
            test "${list[1]}" = y
            test "$GREETING" = hello
            false || exit 3
            ```

            ```bash walkthrough
            test "$token" = abc
            undefined_command_here
            ```
            """).blocks
        let runner = WalkthroughRunner(
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "GREETING": "hello"],
            workingDirectory: directory, stateFile: directory + "/vars"
        )
        var statuses: [Int32] = []
        for block in blocks {
            statuses.append(try await runner.run(block).status)
        }
        #expect(statuses == [0, 3, 127])
    }
}
