/// One direction of an HTTP/1.x connection read incrementally: a head (start line and headers, buffered
/// up to `AppLayerLimits.bufferedBytesPerDirection`), then a body whose framing the caller decides from
/// the head, then the next message (pipelining). The input may be split anywhere.
struct HTTPMessageStream {
    /// Which start line the stream expects.
    enum Role {
        case request
        case response
    }

    /// What `next(_:)` reports.
    enum Event {
        /// The start line (without its line ending) of a head whose headers are still to come: a request's
        /// method and URI can be inspected from here on, as libhtp's request-line progress allows.
        case startLine([UInt8])
        /// A complete head; call `startBody(_:)` before feeding more.
        case head(HTTPHead)
        /// The kept body reached `keptBodyBytes` (once per message; never when no body is kept).
        case bodyInspectable
        /// The message's body is complete.
        case complete
        /// The input is not HTTP or exceeds a bound: the stream gives up.
        case failed
    }

    private enum State {
        case head
        case awaitingFraming
        case body
        case closed
    }

    let role: Role
    /// How much of each body is kept for body buffers: `AppLayerLimits.bodyInspectionBytes`, or 0 when
    /// no rule reads them, so that bodies are only counted.
    let keptBodyBytes: Int
    private var state = State.head
    private var head: [UInt8] = []
    private var scanned = 0
    private var lineStart = 0
    private var startLineEnd: Int?
    /// The head in progress had its start line reported.
    private var startLineReported = false
    private var decoder: HTTPBodyDecoder?
    private var signalledInspectable = false

    init(role: Role, keptBodyBytes: Int = AppLayerLimits.bodyInspectionBytes) {
        self.role = role
        self.keptBodyBytes = keptBodyBytes
    }

    /// The stream gave up or was stopped: it ignores further input.
    var isClosed: Bool { state == .closed }
    /// A head is complete and its body is not.
    var isInBody: Bool { state == .body || state == .awaitingFraming }
    /// The current message's kept body.
    var body: [UInt8] { decoder?.body ?? [] }
    /// The current message's body bytes on the wire.
    var bodyWireLength: Int { decoder?.wireLength ?? 0 }

    /// Stops parsing this direction (a tunnel after CONNECT, a protocol switch, or a failure elsewhere).
    mutating func close() {
        state = .closed
        head = []
        decoder = nil
    }

    /// Sets the body framing of the head just reported.
    mutating func startBody(_ framing: HTTPBodyFraming) {
        guard state == .awaitingFraming else { return }
        decoder = HTTPBodyDecoder(framing, keeping: keptBodyBytes)
        // With nothing to keep there is nothing to signal, and the whole body may be skipped.
        signalledInspectable = keptBodyBytes == 0
        state = .body
    }

    /// Consumes up to `count` body bytes that need no reading (past the kept part, once it was reported as
    /// inspectable) by counting them; returns how many. `next` would return no event for them.
    mutating func skipBody(upTo count: Int) -> Int {
        guard state == .body, signalledInspectable, let skippable = decoder?.skippableBytes else { return 0 }
        let skipped = min(count, skippable)
        guard skipped > 0 else { return 0 }
        decoder!.skip(skipped)
        return skipped
    }

    /// Consumes input up to the next event; nil when the input is used up without one.
    mutating func next(_ input: inout ArraySlice<UInt8>) -> Event? {
        switch state {
        case .closed:
            input = input[input.endIndex...]
            return nil
        case .awaitingFraming:
            return nil
        case .head:
            return readHead(&input)
        case .body:
            // Consumed in place: a copy of the decoder would share its kept body, and the next append would
            // then copy the whole body.
            guard decoder != nil else { return nil }
            let outcome = decoder!.consume(&input)
            switch outcome {
            case .failed:
                close()
                return .failed
            case .complete:
                state = .head
                return .complete
            case .needMore:
                if !signalledInspectable, decoder!.body.count >= keptBodyBytes {
                    signalledInspectable = true
                    return .bodyInspectable
                }
                return nil
            }
        }
    }

    private mutating func readHead(_ input: inout ArraySlice<UInt8>) -> Event? {
        if head.isEmpty {
            // Empty lines between messages are ignored, as libhtp does.
            while let first = input.first, first == HTTPBytes.cr || first == HTTPBytes.lf { input = input.dropFirst() }
        }
        guard !input.isEmpty else { return nil }
        let limit = AppLayerLimits.bufferedBytesPerDirection
        // The head is taken a line at a time, so that what follows it (the body, the next message) stays in
        // `input` and is never copied.
        var end: Int?
        while end == nil, !input.isEmpty, head.count <= limit {
            let piece = input.prefix(limit + 1 - head.count)
            let through = piece.firstIndex(of: HTTPBytes.lf).map { $0 + 1 } ?? piece.endIndex
            head.append(contentsOf: input[..<through])
            input = input[through...]
            let startLineKnown = startLineEnd != nil
            end = scanForHeadEnd()
            if !startLineKnown, let startLineEnd, !isValidStartLine(HTTPBytes.trimmingLineEnding(head[..<startLineEnd])) {
                close()
                return .failed
            }
        }
        guard let end else {
            if head.count > limit {
                close()
                return .failed
            }
            if let startLineEnd, !startLineReported {
                startLineReported = true
                return .startLine(HTTPBytes.trimmingLineEnding(head[..<startLineEnd]))
            }
            return nil
        }
        let parsed = HTTPHead(bytes: head[..<end], startLineEnd: startLineEnd ?? end)
        head.removeAll(keepingCapacity: true)
        scanned = 0
        lineStart = 0
        startLineEnd = nil
        startLineReported = false
        decoder = nil
        state = .awaitingFraming
        return .head(parsed)
    }

    private func isValidStartLine(_ line: [UInt8]) -> Bool {
        switch role {
        case .request: HTTPRequestLine(line) != nil
        case .response: HTTPStatusLine(line) != nil
        }
    }

    /// The index just past the head's terminating empty line, if the buffer holds it.
    private mutating func scanForHeadEnd() -> Int? {
        while let lf = head[scanned...].firstIndex(of: HTTPBytes.lf) {
            let isEmptyLine = lf == lineStart || (lf == lineStart + 1 && head[lineStart] == HTTPBytes.cr)
            scanned = lf + 1
            lineStart = lf + 1
            if startLineEnd == nil {
                startLineEnd = lf + 1
                if role == .request, HTTPRequestLine.isHeadless(HTTPBytes.trimmingLineEnding(head[..<(lf + 1)])) {
                    return lf + 1
                }
            } else if isEmptyLine {
                return lf + 1
            }
        }
        scanned = head.count
        return nil
    }
}
