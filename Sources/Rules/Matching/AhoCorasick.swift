/// A case-insensitive Aho–Corasick automaton compiled to a DFA over byte classes: one table lookup per
/// scanned byte, whatever the number of patterns. Bytes that occur in no pattern share one class, which
/// keeps the table small.
struct AhoCorasick: Sendable {
    /// Byte (any case) to class; class 0 = in no pattern.
    private let classOf: [UInt8]
    private let classCount: Int
    /// `transitions[row + class]` = the next state's row (`state * classCount`), negated (minus one)
    /// when that state emits a pattern, so the scan loop tests one sign per byte.
    private let transitions: [Int32]
    /// Patterns ending exactly at each state: `outputs[outputStart[state]..<outputStart[state + 1]]`.
    private let outputStart: [Int32]
    private let outputs: [Int32]
    /// The nearest state on the failure chain that has outputs (-1: none).
    private let outputLink: [Int32]

    /// Patterns are matched ignoring ASCII case; pattern ids are their positions in `patterns`.
    init(patterns: [[UInt8]]) {
        var classOf = [UInt8](repeating: 0, count: 256)
        var classCount = 1
        for pattern in patterns {
            for byte in pattern {
                let lower = AhoCorasick.lower(byte)
                if classOf[Int(lower)] == 0 {
                    precondition(classCount < 256)
                    classOf[Int(lower)] = UInt8(classCount)
                    classCount += 1
                }
            }
        }
        for upper in UInt8(ascii: "A")...UInt8(ascii: "Z") { classOf[Int(upper)] = classOf[Int(upper + 32)] }

        // Trie, with -1 for missing edges.
        var transitions = [Int32](repeating: -1, count: classCount)
        var own: [[Int32]] = [[]]
        for (id, pattern) in patterns.enumerated() {
            var state = 0
            for byte in pattern {
                let slot = state * classCount + Int(classOf[Int(byte)])
                if transitions[slot] < 0 {
                    transitions[slot] = Int32(own.count)
                    own.append([])
                    transitions += [Int32](repeating: -1, count: classCount)
                }
                state = Int(transitions[slot])
            }
            own[state].append(Int32(id))
        }
        let stateCount = own.count

        // Breadth-first: failure links, full transitions, output links.
        var failure = [Int32](repeating: 0, count: stateCount)
        var outputLink = [Int32](repeating: -1, count: stateCount)
        var queue: [Int] = []
        queue.reserveCapacity(stateCount)
        for symbol in 0..<classCount {
            let next = transitions[symbol]
            if next < 0 {
                transitions[symbol] = 0
            } else {
                failure[Int(next)] = 0
                queue.append(Int(next))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            let fail = Int(failure[state])
            outputLink[state] = own[fail].isEmpty ? outputLink[fail] : Int32(fail)
            for symbol in 0..<classCount {
                let slot = state * classCount + symbol
                let next = transitions[slot]
                if next < 0 {
                    transitions[slot] = transitions[fail * classCount + symbol]
                } else {
                    failure[Int(next)] = transitions[fail * classCount + symbol]
                    queue.append(Int(next))
                }
            }
        }
        var outputStart = [Int32](repeating: 0, count: stateCount + 1)
        var outputs: [Int32] = []
        for state in 0..<stateCount {
            outputStart[state] = Int32(outputs.count)
            outputs += own[state]
        }
        outputStart[stateCount] = Int32(outputs.count)

        // Rows instead of state numbers, and the sign bit for "emits here or on the output chain".
        precondition(stateCount * classCount < Int(Int32.max), "automaton too large")
        let emits = (0..<stateCount).map { !own[$0].isEmpty || outputLink[$0] >= 0 }
        let encoded = transitions.map { next -> Int32 in
            let row = next * Int32(classCount)
            return emits[Int(next)] ? -row - 1 : row
        }

        self.classOf = classOf
        self.classCount = classCount
        self.transitions = encoded
        self.outputStart = outputStart
        self.outputs = outputs
        self.outputLink = outputLink
    }

    /// The number of automaton states.
    var stateCount: Int { outputLink.count }

    /// Calls `found` with the id of every pattern occurrence in `bytes` (an id may repeat).
    @inline(__always)
    func scan(_ bytes: UnsafeRawBufferPointer, _ found: (Int32) -> Void) {
        guard !bytes.isEmpty else { return }
        let classCount = Int32(self.classCount)
        transitions.withUnsafeBufferPointer { table in
            classOf.withUnsafeBufferPointer { classes in
                var row: Int32 = 0
                for byte in bytes {
                    let next = table[Int(row &+ Int32(classes[Int(byte)]))]
                    if next >= 0 {
                        row = next
                        continue
                    }
                    row = -(next &+ 1)
                    emit(state: Int(row / classCount), found)
                }
            }
        }
    }

    /// The patterns ending at `state`, then those of its output chain.
    private func emit(state: Int, _ found: (Int32) -> Void) {
        var emitting = Int32(state)
        if outputStart[state] == outputStart[state + 1] { emitting = outputLink[state] }
        while emitting >= 0 {
            let at = Int(emitting)
            for index in Int(outputStart[at])..<Int(outputStart[at + 1]) { found(outputs[index]) }
            emitting = outputLink[at]
        }
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
    }
}
