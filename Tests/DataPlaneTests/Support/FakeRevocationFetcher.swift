@testable import DataPlane

/// A `RevocationFetching` that answers from a table (URL → bytes or error), records what it was asked,
/// and can hold every answer until released (to catch concurrent checks in flight).
actor FakeRevocationFetcher: RevocationFetching {
    /// One request as the checker made it.
    struct Request: Equatable {
        var url: String
        var body: [UInt8]?
        var contentType: String?
    }

    private var answers: [String: Result<[UInt8], RevocationFetchError>]
    private(set) var requests: [Request] = []
    private var holdsAll = false
    private var heldURLs: Set<String> = []
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ answers: [String: Result<[UInt8], RevocationFetchError>] = [:]) {
        self.answers = answers
    }

    func answer(_ url: String, with result: Result<[UInt8], RevocationFetchError>) {
        answers[url] = result
    }

    func count(_ url: String) -> Int {
        requests.filter { $0.url == url }.count
    }

    /// Answers (for `url`, or for every URL) wait until `release()`.
    func hold(_ url: String? = nil) {
        if let url { heldURLs.insert(url) } else { holdsAll = true }
    }

    func release() {
        holdsAll = false
        heldURLs = []
        for continuation in waiting { continuation.resume() }
        waiting = []
    }

    func fetch(url: String, body: [UInt8]?, contentType: String?) async throws -> [UInt8] {
        requests.append(Request(url: url, body: body, contentType: contentType))
        if holdsAll || heldURLs.contains(url) {
            await withCheckedContinuation { waiting.append($0) }
            try Task.checkCancellation() // as a real fetch cancelled meanwhile would
        }
        guard let answer = answers[url] else { throw RevocationFetchError.httpStatus(404) }
        return try answer.get()
    }
}
