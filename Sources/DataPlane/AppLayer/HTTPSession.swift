import Rules
import Shared

/// The HTTP/1.x state of one connection: a request stream and a response stream, paired in order into
/// transactions 0, 1, 2, … (pipelining included; a response answers the oldest request not yet answered).
///
/// A request is reported once its head is complete and its body is complete or has filled the inspection
/// limit; likewise a response, as an update of its request's transaction. The EVE `http` object is
/// written when the response ends (or when the flow ends), as Suricata logs a transaction once it is
/// complete. Interim 1xx responses are skipped; after `101 Switching Protocols` or a successful
/// `CONNECT` both directions stop, since what follows is another protocol.
struct HTTPSession {
    /// A transaction whose EVE record is not written yet.
    private struct Pending {
        var id: Int
        var method: [UInt8]?
        var eve: EveHTTP
        /// Some part was reported to the engine.
        var reported = false
    }

    /// The message in progress in one direction.
    private struct Current {
        var id: Int
        var transaction: AppTransaction
        var reported = false
        /// A 1xx response, which belongs to no transaction.
        var interim = false
        /// What follows this response is not HTTP.
        var switchesProtocol = false
    }

    private var requests = HTTPMessageStream(role: .request)
    private var responses = HTTPMessageStream(role: .response)
    private var currentRequest: Current?
    private var currentResponse: Current?
    private var pending: [Pending] = []
    private var nextRequestID = 0
    private var nextResponseID = 0

    /// Whether the stream of `direction` stopped (failed, tunnelled, or finished).
    func isClosed(_ direction: FlowDirection) -> Bool {
        direction == .toServer ? requests.isClosed : responses.isClosed
    }

    mutating func feed(_ input: ArraySlice<UInt8>, direction: FlowDirection) -> [AppLayerRecord] {
        var input = input
        var records: [AppLayerRecord] = []
        if direction == .toServer {
            while let event = requests.next(&input) { handleRequest(event, into: &records) }
        } else {
            while let event = responses.next(&input) { handleResponse(event, into: &records) }
        }
        return records
    }

    /// The flow ended: reports incomplete messages (a body delimited by the close ends here) and logs
    /// every transaction not logged yet.
    mutating func finish() -> [AppLayerRecord] {
        var records: [AppLayerRecord] = []
        if let current = currentRequest, !current.reported, requests.isInBody {
            reportRequest(into: &records)
        }
        currentRequest = nil
        if let current = currentResponse, !current.interim, responses.isInBody {
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
        case .head(let head):
            let id = nextRequestID
            nextRequestID += 1
            let (transaction, eve) = HTTPTransactionBuilder.request(head, id: id)
            guard let framing = HTTPTransactionBuilder.requestFraming(head),
                  pending.count < AppLayerLimits.pendingHTTPTransactions else {
                requests.close()
                return
            }
            pending.append(Pending(id: id, method: HTTPRequestLine(head.startLine)?.method, eve: eve))
            currentRequest = Current(id: id, transaction: transaction)
            requests.startBody(framing)
        case .bodyInspectable:
            reportRequest(into: &records)
        case .complete:
            if currentRequest?.reported == false { reportRequest(into: &records) }
            currentRequest = nil
        case .failed:
            currentRequest = nil
        }
    }

    private mutating func handleResponse(_ event: HTTPMessageStream.Event, into records: inout [AppLayerRecord]) {
        switch event {
        case .head(let head):
            let status = HTTPStatusLine(head.startLine)?.number
            if let status, status < 200, status != 101 {
                let none = AppTransaction(appProtocol: .http, direction: .toClient, id: -1)
                currentResponse = Current(id: -1, transaction: none, interim: true)
                responses.startBody(.none)
                return
            }
            let id = nextResponseID
            nextResponseID += 1
            nextRequestID = max(nextRequestID, id + 1)
            let index: Int
            if let existing = pendingIndex(id) {
                index = existing
            } else {
                // A response without a request (the request stream failed, or the server spoke first).
                pending.append(Pending(id: id, method: nil, eve: EveHTTP()))
                index = pending.count - 1
            }
            let method = pending[index].method
            let transaction = HTTPTransactionBuilder.response(head, id: id, eve: &pending[index].eve)
            guard let framing = HTTPTransactionBuilder.responseFraming(head, status: status, method: method) else {
                responses.close()
                return
            }
            let connect = method.map { HTTPBytes.equalsIgnoringCase($0, Array("CONNECT".utf8)) } ?? false
            var current = Current(id: id, transaction: transaction)
            current.switchesProtocol = status == 101 || (connect && status.map { (200..<300).contains($0) } == true)
            currentResponse = current
            responses.startBody(framing)
        case .bodyInspectable:
            reportResponse(final: false, into: &records)
        case .complete:
            guard let current = currentResponse else { return }
            if !current.interim { reportResponse(final: true, into: &records) }
            currentResponse = nil
            if current.switchesProtocol {
                requests.close()
                responses.close()
            }
        case .failed:
            currentResponse = nil
        }
    }

    private func pendingIndex(_ id: Int) -> Int? {
        pending.firstIndex { $0.id == id }
    }

    private mutating func reportRequest(into records: inout [AppLayerRecord]) {
        guard var current = currentRequest, !current.reported else { return }
        let body = requests.body
        if !body.isEmpty { current.transaction.set(.httpRequestBody, body) }
        current.reported = true
        currentRequest = current
        var kind = AppLayerRecord.Kind.update
        var metadata: AppLayerEve?
        if let index = pendingIndex(current.id) {
            if !pending[index].reported { kind = .newTransaction }
            pending[index].reported = true
            var http = pending[index].eve
            if http.length == nil { http.length = 0 }
            metadata = .http(http)
        }
        records.append(AppLayerRecord(kind: kind, transaction: current.transaction, metadata: metadata))
    }

    /// Reports the response part (once) and, when the response ended, writes the transaction's EVE record.
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
        if !current.reported {
            let body = responses.body
            if !body.isEmpty { current.transaction.set(.httpResponseBody, body) }
            current.reported = true
            var kind = AppLayerRecord.Kind.update
            if let index, !pending[index].reported { kind = .newTransaction }
            records.append(AppLayerRecord(kind: kind, transaction: current.transaction, eve: eve, metadata: metadata))
        } else if !eve.isEmpty {
            records.append(AppLayerRecord(
                kind: .logOnly, transaction: AppTransaction(appProtocol: .http, direction: .toClient, id: current.id), eve: eve
            ))
        }
        if let index {
            if final { pending.remove(at: index) } else { pending[index].reported = true }
        }
        currentResponse = current
    }
}
