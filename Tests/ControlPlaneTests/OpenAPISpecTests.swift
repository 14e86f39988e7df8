import HTTPTypes
import Shared
import Foundation
import Testing

@testable import ControlPlane

@Suite("openapi.yaml")
struct OpenAPISpecTests {
    static let spec = APIHarness.repository.appendingPathComponent("openapi.yaml").path

    /// Runs python3 with `arguments`, returning (exit status, standard output + error).
    static func python(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func isAValidOpenAPIDocument() throws {
        let (status, output) = try Self.python(["-m", "openapi_spec_validator", Self.spec])
        #expect(status == 0, "\(output)")
    }

    @Test func schemasMatchTheSwiftModel() throws {
        let checker = APIHarness.repository.appendingPathComponent("Tests/openapi/check_openapi.py").path
        let (status, output) = try Self.python([checker, Self.spec])
        #expect(status == 0, "\(output)")
    }

    @Test func describesExactlyTheServedRoutes() throws {
        let script = """
            import json, sys, yaml
            spec = yaml.safe_load(open(sys.argv[1]))
            methods = {"get", "put", "post", "delete", "patch", "head", "options"}
            print(json.dumps(sorted(f"{m.upper()} {p}" for p, item in spec["paths"].items() for m in item if m in methods)))
            """
        let (status, output) = try Self.python(["-c", script, Self.spec])
        try #require(status == 0, "\(output)")
        let documented = Set(try JSONDecoder().decode([String].self, from: Data(output.utf8)))
        let served = Set(try APIHarness().api.routes.map(\.description))
        #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
        #expect(served.count == 33)
    }
}
