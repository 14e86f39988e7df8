/// A case-insensitive Aho–Corasick automaton over byte classes, laid out for the cache: the root, its
/// children and, while the table stays within `denseBudget`, their children (the states a scan spends
/// nearly all its time in) have full transition rows, one table lookup per byte; deeper states keep only
/// their own trie edges and a failure link, which a scan follows until a state with a full row. Bytes that
/// occur in no pattern share one class and always lead back to the root.
///
/// A full row per state (a DFA) costs states × classes entries — megabytes for a thousand patterns, most
/// of it rows of deep states that the bytes of a packet seldom reach — and a table that outgrows the cache
/// makes every byte a cache miss. Here the rows take at most `denseBudget` entries (or the root's and its
/// children's, when those alone are more); the rest costs a few bytes per state.
struct AhoCorasick: Sendable {
    /// Byte (any case) to class; class 0 = in no pattern.
    private let classOf: [UInt8]
    private let classCount: Int32
    /// A state is referred to by where its data starts: a dense state by its row in `dense`
    /// (`state * classCount`), a sparse one by `denseSize` plus its record's offset in `sparse`. A
    /// reference to a state that emits (has outputs, or one on its output chain) is stored negated
    /// (`~reference`), so the scan tests one sign per byte.
    private let denseSize: Int32
    /// `dense[row + class]`: the next state of a dense state (the root has row 0).
    private let dense: [Int32]
    /// The record of a sparse state: its failure state (not negated), its number, its edge count, then
    /// (class, next state) per trie edge — at least one, a state without edges has (-1, 0).
    private let sparse: [Int32]
    /// Patterns ending exactly at each state: `outputs[outputStart[state]..<outputStart[state + 1]]`.
    private let outputStart: [Int32]
    private let outputs: [Int32]
    /// The nearest state on the failure chain that has outputs (-1: none).
    private let outputLink: [Int32]
    /// The length of the longest pattern.
    private let longestPattern: Int

    /// The largest table, in entries, for which the grandchildren of the root get full rows too.
    static let denseBudget = 64 * 1024

    /// Patterns are matched ignoring ASCII case; pattern ids are their positions in `patterns`.
    init(patterns: [[UInt8]]) {
        precondition(patterns.allSatisfy { !$0.isEmpty }, "an empty pattern would match everywhere")
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

        // The trie, with each state's edges as (class, child) pairs.
        var children: [[(symbol: UInt8, child: Int)]] = [[]]
        var own: [[Int32]] = [[]]
        for (id, pattern) in patterns.enumerated() {
            var state = 0
            for byte in pattern {
                let symbol = classOf[Int(byte)]
                if let edge = children[state].first(where: { $0.symbol == symbol }) {
                    state = edge.child
                } else {
                    children[state].append((symbol, children.count))
                    state = children.count
                    children.append([])
                    own.append([])
                }
            }
            own[state].append(Int32(id))
        }

        // Breadth-first numbering: the root, its children, their children, … The dense states are the root
        // and its children, and their children too while the table stays within `denseBudget`.
        var order = [0]
        order.reserveCapacity(children.count)
        var head = 0
        while head < order.count {
            order += children[order[head]].map(\.child)
            head += 1
        }
        var number = [Int](repeating: 0, count: order.count)
        for (position, state) in order.enumerated() { number[state] = position }
        let stateCount = order.count
        let depthTwo = 1 + children[0].count + children[0].reduce(0) { $0 + children[$1.child].count }
        let denseCount = depthTwo * classCount <= AhoCorasick.denseBudget ? depthTwo : 1 + children[0].count
        let edges = order.map { state in children[state].map { (symbol: $0.symbol, child: number[$0.child]) } }

        // Failure links and full rows, in breadth-first order (a state's failure is shallower).
        var dense = [Int32](repeating: 0, count: denseCount * classCount)
        var failure = [Int](repeating: 0, count: stateCount)
        var outputLink = [Int32](repeating: -1, count: stateCount)
        func next(_ state: Int, _ symbol: UInt8) -> Int {
            var state = state
            while state >= denseCount {
                if let edge = edges[state].first(where: { $0.symbol == symbol }) { return edge.child }
                state = failure[state]
            }
            return Int(dense[state * classCount + Int(symbol)])
        }
        for state in 0..<stateCount {
            let stateFailure = failure[state]
            if state > 0 {
                let ownOutputs = own[order[stateFailure]]
                outputLink[state] = ownOutputs.isEmpty ? outputLink[stateFailure] : Int32(stateFailure)
            }
            if state > 0, state < denseCount {
                for symbol in 0..<classCount {
                    let target = next(stateFailure, UInt8(symbol))
                    dense[state * classCount + symbol] = Int32(target)
                }
            }
            for edge in edges[state] {
                if state < denseCount { dense[state * classCount + Int(edge.symbol)] = Int32(edge.child) }
                let target = state == 0 ? 0 : next(stateFailure, edge.symbol)
                failure[edge.child] = target
            }
        }

        var outputStart = [Int32](repeating: 0, count: stateCount + 1)
        var outputs: [Int32] = []
        for state in 0..<stateCount {
            outputStart[state] = Int32(outputs.count)
            outputs += own[order[state]]
        }
        outputStart[stateCount] = Int32(outputs.count)

        // References: rows of dense states, then the records of sparse ones.
        let denseSize = denseCount * classCount
        var reference = [Int](repeating: 0, count: stateCount)
        var recordEnd = 0
        for state in 0..<stateCount {
            if state < denseCount {
                reference[state] = state * classCount
            } else {
                reference[state] = denseSize + recordEnd
                recordEnd += 3 + 2 * max(1, edges[state].count)
            }
        }
        precondition(denseSize + recordEnd < Int(Int32.max), "automaton too large")
        let emits = (0..<stateCount).map { outputStart[$0] != outputStart[$0 + 1] || outputLink[$0] >= 0 }
        func encode(_ state: Int) -> Int32 { emits[state] ? ~Int32(reference[state]) : Int32(reference[state]) }
        var sparse: [Int32] = []
        sparse.reserveCapacity(recordEnd)
        for state in denseCount..<stateCount {
            sparse += [Int32(reference[failure[state]]), Int32(state), Int32(edges[state].count)]
            for edge in edges[state] { sparse += [Int32(edge.symbol), encode(edge.child)] }
            if edges[state].isEmpty { sparse += [-1, 0] }
        }

        self.classOf = classOf
        self.classCount = Int32(classCount)
        self.denseSize = Int32(denseSize)
        self.dense = dense.map { encode(Int($0)) }
        self.sparse = sparse
        self.outputStart = outputStart
        self.outputs = outputs
        self.outputLink = outputLink
        longestPattern = patterns.map(\.count).max() ?? 1
    }

    /// The number of automaton states.
    var stateCount: Int { outputLink.count }

    /// The size of the automaton's tables in bytes.
    var tableBytes: Int {
        (dense.count + sparse.count + outputStart.count + outputs.count + outputLink.count) * MemoryLayout<Int32>.stride
            + classOf.count
    }

    /// Inputs at least this long are scanned as four interleaved parts.
    static let splitLength = 256

    /// Calls `found` with the id of every pattern that occurs in `bytes`, once per occurrence — except that
    /// an input of `splitLength` bytes or more is scanned as four parts at once (four independent chains
    /// of table lookups, which the processor overlaps), each starting early enough to see every pattern
    /// that ends in it, so an occurrence near a boundary may be reported twice.
    @inline(__always)
    func scan(_ bytes: UnsafeRawBufferPointer, _ found: (Int32) -> Void) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        classOf.withUnsafeBufferPointer { classes in
            dense.withUnsafeBufferPointer { dense in
                sparse.withUnsafeBufferPointer { sparse in
                    let classes = classes.baseAddress.unsafelyUnwrapped
                    let dense = dense.baseAddress.unsafelyUnwrapped
                    // Only references at or past `denseSize` read it, and they exist only when it is not empty.
                    let sparse = sparse.baseAddress.unsafelyUnwrapped
                    let denseSize = self.denseSize

                    /// The state after `byte` from `current`, reporting what it emits. Inline: a full row, or
                    /// a sparse state's first edge, or its failure state's full row; the rest out of line.
                    @inline(__always)
                    func step(_ current: Int32, _ byte: UInt8) -> Int32 {
                        let symbol = Int32(classes[Int(byte)])
                        var next: Int32
                        if current < denseSize {
                            next = dense[Int(current &+ symbol)]
                        } else {
                            let record = sparse + Int(current &- denseSize)
                            if record[3] == symbol {
                                next = record[4]
                            } else if record[2] <= 1, record[0] < denseSize {
                                next = dense[Int(record[0] &+ symbol)]
                            } else {
                                next = sparseNext(current, symbol)
                            }
                        }
                        if next < 0 {
                            next = ~next
                            emit(next, found)
                        }
                        return next
                    }

                    let count = bytes.count
                    let quarter = count / 4
                    guard count >= AhoCorasick.splitLength, longestPattern <= quarter else {
                        var state: Int32 = 0
                        for index in 0..<count { state = step(state, base[index]) }
                        return
                    }
                    // Part k (0…3) holds the occurrences that end in bytes k * quarter ..< (k + 1) * quarter (the
                    // last: to the end). Its chain starts a longest pattern earlier, where they may start.
                    let overlap = longestPattern - 1
                    let second = base + (quarter - overlap)
                    let third = second + quarter
                    let fourth = third + quarter
                    var states: (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
                    for index in 0..<quarter {
                        states.0 = step(states.0, base[index])
                        states.1 = step(states.1, second[index])
                        states.2 = step(states.2, third[index])
                        states.3 = step(states.3, fourth[index])
                    }
                    for index in quarter..<(quarter + overlap) {
                        states.1 = step(states.1, second[index])
                        states.2 = step(states.2, third[index])
                    }
                    for index in quarter..<(count - (3 * quarter - overlap)) { states.3 = step(states.3, fourth[index]) }
                }
            }
        }
    }

    /// The next state (a reference, negated when it emits) of the sparse state `current` on `symbol`: its
    /// edge, else its failure state's next state. Out of line, so that the scan loop stays small.
    @inline(never)
    private func sparseNext(_ current: Int32, _ symbol: Int32) -> Int32 {
        // A byte in no pattern leads every state back to the root.
        if symbol == 0 { return 0 }
        return sparse.withUnsafeBufferPointer { sparse in
            var state = current
            while state >= denseSize {
                let record = Int(state &- denseSize)
                var edge = record + 3
                let end = edge + 2 * Int(sparse[record + 2])
                while edge < end {
                    if sparse[edge] == symbol { return sparse[edge + 1] }
                    edge += 2
                }
                state = sparse[record]
            }
            return dense[Int(state &+ symbol)]
        }
    }

    /// Reports the patterns of the state `reference` refers to.
    @inline(never)
    private func emit(_ reference: Int32, _ found: (Int32) -> Void) {
        emit(state: Int(reference < denseSize ? reference / classCount : sparse[Int(reference &- denseSize) + 1]), found)
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
