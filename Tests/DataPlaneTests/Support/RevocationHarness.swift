import Foundation
import Synchronization
import X509
@testable import DataPlane

/// A clock the test moves.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// A checker over a fake fetcher and a test clock that starts a minute after the fixtures were made.
struct RevocationHarness {
    let fetcher: FakeRevocationFetcher
    let clock: TestClock
    let checker: RevocationChecker

    init(
        _ answers: [String: Result<[UInt8], RevocationFetchError>] = [:], offset: TimeInterval = 60,
        configure: (inout RevocationChecker.Configuration) -> Void = { _ in }
    ) throws {
        fetcher = FakeRevocationFetcher(answers)
        let clock = TestClock(try RevocationFixtures.generatedAt().addingTimeInterval(offset))
        self.clock = clock
        var configuration = RevocationChecker.Configuration()
        configure(&configuration)
        checker = RevocationChecker(fetcher: fetcher, configuration: configuration, now: { clock.now })
    }

    /// Checks the fixture leaf `name` against the fixture CA `issuer`.
    func check(_ name: String, issuer: String) async throws -> RevocationResult {
        await checker.check(try RevocationFixtures.certificate(name), issuer: try RevocationFixtures.certificate(issuer))
    }

    static func file(_ name: String) throws -> Result<[UInt8], RevocationFetchError> {
        .success(try RevocationFixtures.bytes(name))
    }

    static let refused = Result<[UInt8], RevocationFetchError>.failure(.unreachable("connection refused"))
}

/// A test step that failed, in words.
struct RevocationTestError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
