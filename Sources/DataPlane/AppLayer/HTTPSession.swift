import Rules
import Shared

/// The HTTP/1.x state of one connection: a request stream and a response stream, paired in order into
/// transactions 0, 1, 2, … (pipelining included; a response answers the oldest request not yet answered).
///
/// Each message is reported as it progresses, as libhtp's transaction progress lets Suricata inspect it:
/// its start line while the headers are still to come (`http.uri` and `http.method` need no more), its
/// head, then its body once complete or once the kept body fills the inspection limit. A feed reports the
/// furthest point each message reached in it, so a message that arrives whole is one part; each part holds
/// every buffer known so far and says how far it goes (`AppTransaction.progress`). A response is an update
/// of its request's transaction. The EVE `http` object is written when the response ends (or when the flow
/// ends), as Suricata logs a transaction once it is complete. Interim 1xx responses are skipped; after
/// `101 Switching Protocols` or a successful `CONNECT` both directions stop, since what follows is another
/// protocol.
struct HTTPSession {
    /// A transaction whose EVE record is not written yet.
    private struct Pending {
        var id: Int
        var method: [UInt8]?
        var eve: EveHTTP
        /// The request's buffers as last reported, for rules that inspect the request with the response.
        var request: [[[UInt8]]] = []
        /// Some part was reported to the engine.
        var reported = false
    }

    /// How far a message got: 1 its start line, 2 its head, 3 its body (`InspectionBuffer.progress`).
    private enum Progress {
        static let startLine = 1
        static let head = 2
        static let body = 3
    }

    /// The message in progress in one direction.
    private struct Current {
        var id: Int
        var transaction: AppTransaction
        /// How far the message got, and how far the parts reported so far went.
        var progress = Progress.startLine
        var reportedProgress = 0
        /// A 1xx response, which belongs to no transaction.
        var interim = false
        /// What follows this response is not HTTP.
        var switchesProtocol = false

        var hasNews: Bool { !interim && progress > reportedProgress }
    }

    private var requests: HTTPMessageStream
    private var responses: HTTPMessageStream
    private var currentRequest: Current?
    private var currentResponse: Current?
    private var pending: [Pending] = []
    private var nextRequestID = 0
    private var nextResponseID = 0

    /// `keptBodyBytes`: how much of each body to keep for `http.request_body` and `http.response_body`
    /// (0 when no rule reads them: bodies are then only counted).
    init(keptBodyBytes: Int = AppLayerLimits.bodyInspectionBytes) {
        requests = HTTPMessageStream(role: .request, keptBodyBytes: keptBodyBytes)
        responses = HTTPMessageStream(role: .response, keptBodyBytes: keptBodyBytes)
    }

    /// Whether the stream of `direction` stopped (failed, tunnelled, or finished).
    func isClosed(_ direction: FlowDirection) -> Bool {
        direction == .toServer ? requests.isClosed : responses.isClosed
    }

    mutating func feed(_ input: ArraySlice<UInt8>, direction: FlowDirection) -> [AppLayerRecord] {
        var input = input
        var records: [AppLayerRecord] = []
        if direction == .toServer {
            while let event = requests.next(&input) { handleRequest(event, into: &records) }
            if currentRequest?.hasNews == true { reportRequest(into: &records) }
        } else {
            while let event = responses.next(&input) { handleResponse(event, into: &records) }
            if currentResponse?.hasNews == true { reportResponse(final: false, into: &records) }
        }
        return records
    }

    /// Counts up to `count` of `direction`'s next bytes as body bytes that need no reading (see
    /// `HTTPMessageStream.skipBody`); returns how many. The caller feeds the rest.
    mutating func skipBody(_ direction: FlowDirection, upTo count: Int) -> Int {
        direction == .toServer ? requests.skipBody(upTo: count) : responses.skipBody(upTo: count)
    }

    /// The flow ended: reports incomplete messages (a body delimited by the close ends here) and logs
    /// every transaction not logged yet.
    mutating func finish() -> [AppLayerRecord] {
        var records: [AppLayerRecord] = []
        if currentRequest != nil, requests.isInBody {
            currentRequest?.progress = Progress.body
            if currentRequest?.hasNews == true { reportRequest(ending: true, into: &records) }
        }
        currentRequest = nil
        if let current = currentResponse, !current.interim, responses.isInBody {
            currentResponse?.progress = Progress.body
            reportResponse(final: true, into: &records)
        }
        currentResponse = nil
        for var transaction in pending {
            if transaction.eve.length == nil { transaction.eve.length = 0 }
            records.append(AppLayerRecord(
                kind: .logOnly, transaction: AppTransaction(appProtocol: .http, direction: .toServer, id: transaction.id),
                eve: [.http(transaction.eve)]
            ))
        }
        pending = []
        requests.close()
        responses.close()
        return records
    }

    private mutating func handleRequest(_ event: HTTPMessageStream.Event, into records: inout [AppLayerRecord]) {
        switch event {
        case .startLine(let line):
            guard pending.count < AppLayerLimits.pendingHTTPTransactions else {
                requests.close()
                return
            }
            let id = nextRequestID
            nextRequestID += 1
            let (transaction, eve) = HTTPTransactionBuilder.requestLine(line, id: id)
            pending.append(Pending(id: id, method: HTTPRequestLine(line)?.method, eve: eve))
            currentRequest = Current(id: id, transaction: transaction)
        case .head(let head):
            let id: Int
            if let current = currentRequest {
                id = current.id
            } else {
                id = nextRequestID
                nextRequestID += 1
            }
            let (transaction, eve) = HTTPTransactionBuilder.request(head, id: id)
            guard let framing = HTTPTransactionBuilder.requestFraming(head),
                  currentRequest != nil || pending.count < AppLayerLimits.pendingHTTPTransactions else {
                requests.close()
                return
            }
            let method = HTTPRequestLine(head.startLine)?.method
            if let index = pendingIndex(id) {
                pending[index].eve = eve
                pending[index].method = method
            } else {
                pending.append(Pending(id: id, method: method, eve: eve))
            }
            var current = currentRequest ?? Current(id: id, transaction: transaction)
            current.transaction = transaction
            current.progress = Progress.head
            currentRequest = current
            requests.startBody(framing)
        case .bodyInspectable:
            currentRequest?.progress = Progress.body
            reportRequest(into: &records)
        case .complete:
            currentRequest?.progress = Progress.body
            if currentRequest?.hasNews == true { reportRequest(ending: true, into: &records) }
            currentRequest = nil
        case .failed:
            currentRequest = nil
        }
    }

    private mutating func handleResponse(_ event: HTTPMessageStream.Event, into records: inout [AppLayerRecord]) {
        switch event {
        case .startLine(let line):
            let status = HTTPStatusLine(line)?.number
            if let status, status < 200, status != 101 {
                currentResponse = Current(id: -1, transaction: AppTransaction(appProtocol: .http, direction: .toClient, id: -1), interim: true)
                return
            }
            let index = startResponse()
            let transaction = HTTPTransactionBuilder.responseLine(line, id: pending[index].id, eve: &pending[index].eve)
            currentResponse = Current(id: pending[index].id, transaction: transaction)
        case .head(let head):
            let status = HTTPStatusLine(head.startLine)?.number
            if let status, status < 200, status != 101 {
                currentResponse = Current(id: -1, transaction: AppTransaction(appProtocol: .http, direction: .toClient, id: -1), interim: true)
                responses.startBody(.none)
                return
            }
            let index: Int
            if let current = currentResponse, !current.interim, let existing = pendingIndex(current.id) {
                index = existing
            } else {
                index = startResponse()
            }
            let id = pending[index].id
            let method = pending[index].method
            let transaction = HTTPTransactionBuilder.response(head, id: id, eve: &pending[index].eve)
            guard let framing = HTTPTransactionBuilder.responseFraming(head, status: status, method: method) else {
                responses.close()
                return
            }
            let connect = method.map { HTTPBytes.equalsIgnoringCase($0, Array("CONNECT".utf8)) } ?? false
            var current = currentResponse.flatMap { $0.interim ? nil : $0 } ?? Current(id: id, transaction: transaction)
            current.transaction = transaction
            current.progress = Progress.head
            current.switchesProtocol = status == 101 || (connect && status.map { (200..<300).contains($0) } == true)
            currentResponse = current
            responses.startBody(framing)
        case .bodyInspectable:
            currentResponse?.progress = Progress.body
            reportResponse(final: false, into: &records)
        case .complete:
            guard let current = currentResponse else { return }
            if !current.interim {
                currentResponse?.progress = Progress.body
                reportResponse(final: true, into: &records)
            }
            currentResponse = nil
            if current.switchesProtocol {
                requests.close()
                responses.close()
            }
        case .failed:
            currentResponse = nil
        }
    }

    /// Takes the next response id and returns the position of its pending transaction, created for a
    /// response without a request (the request stream failed, or the server spoke first).
    private mutating func startResponse() -> Int {
        let id = nextResponseID
        nextResponseID += 1
        nextRequestID = max(nextRequestID, id + 1)
        if let existing = pendingIndex(id) { return existing }
        pending.append(Pending(id: id, method: nil, eve: EveHTTP()))
        return pending.count - 1
    }

    private func pendingIndex(_ id: Int) -> Int? {
        pending.firstIndex { $0.id == id }
    }

    /// Reports how far the request in progress got since its last part; `ending` when the request ended.
    private mutating func reportRequest(ending: Bool = false, into records: inout [AppLayerRecord]) {
        guard var current = currentRequest, current.hasNews else { return }
        if current.progress == Progress.body {
            let body = requests.body
            if !body.isEmpty { current.transaction.set(.httpRequestBody, body) }
        }
        var kind = AppLayerRecord.Kind.update
        var metadata: AppLayerEve?
        if let index = pendingIndex(current.id) {
            pending[index].request = current.transaction.values
            if !pending[index].reported { kind = .newTransaction }
            pending[index].reported = true
            var http = pending[index].eve
            if http.length == nil { http.length = 0 }
            metadata = .http(http)
        }
        records.append(AppLayerRecord(
            kind: kind, transaction: part(of: current), metadata: metadata, endsMessage: ending
        ))
        current.reportedProgress = current.progress
        currentRequest = current
    }

    /// Reports how far the response in progress got since its last part and, when it ended (`final`),
    /// writes the transaction's EVE record.
    private mutating func reportResponse(final: Bool, into records: inout [AppLayerRecord]) {
        guard var current = currentResponse, !current.interim else { return }
        let index = pendingIndex(current.id)
        var eve: [AppLayerEve] = []
        var metadata: AppLayerEve?
        if let index {
            var http = pending[index].eve
            http.length = responses.bodyWireLength
            metadata = .http(http)
            if final { eve = [.http(http)] }
        }
        if current.hasNews {
            if current.progress == Progress.body {
                let body = responses.body
                if !body.isEmpty { current.transaction.set(.httpResponseBody, body) }
            }
            var kind = AppLayerRecord.Kind.update
            if let index, !pending[index].reported { kind = .newTransaction }
            var transaction = part(of: current)
            if let index { transaction.requestValues = pending[index].request }
            records.append(AppLayerRecord(kind: kind, transaction: transaction, eve: eve, metadata: metadata, endsMessage: final))
            current.reportedProgress = current.progress
        } else if !eve.isEmpty {
            records.append(AppLayerRecord(
                kind: .logOnly, transaction: AppTransaction(appProtocol: .http, direction: .toClient, id: current.id), eve: eve,
                endsMessage: true
            ))
        }
        if let index {
            if final { pending.remove(at: index) } else { pending[index].reported = true }
        }
        currentResponse = current
    }

    /// The message's buffers so far, as a part that goes from what was reported to where it got.
    private func part(of current: Current) -> AppTransaction {
        var transaction = current.transaction
        transaction.progress = current.progress
        transaction.previousProgress = current.reportedProgress
        return transaction
    }
}
