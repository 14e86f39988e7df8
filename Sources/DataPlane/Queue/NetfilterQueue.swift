import Shared
import CNetfilterQueue
import Glibc
import Synchronization

/// How a worker binds its NFQUEUE.
public struct NetfilterQueueConfiguration: Sendable, Hashable {
    /// The queue number (`--queue-num`, or one of `--queue-balance`).
    public var queue: UInt16
    /// The kernel's queue length (`nfq_set_queue_maxlen`).
    public var maximumLength: UInt32
    /// Set the kernel's `NFQA_CFG_F_FAIL_OPEN`: accept instead of drop when the queue is full.
    public var kernelFailOpen: Bool
    /// The netlink socket's receive buffer (`SO_RCVBUFFORCE`), sized for the queue length.
    public var receiveBufferBytes: Int
    /// The most packets handled between two reads of the active snapshot and two accept flushes.
    public var batchLimit: Int

    public init(
        queue: UInt16, maximumLength: UInt32 = 4096, kernelFailOpen: Bool = false,
        receiveBufferBytes: Int = 32 * 1024 * 1024, batchLimit: Int = 64
    ) {
        self.queue = queue
        self.maximumLength = maximumLength
        self.kernelFailOpen = kernelFailOpen
        self.receiveBufferBytes = receiveBufferBytes
        self.batchLimit = batchLimit
    }
}

/// The queue could not be bound.
public struct NetfilterQueueError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The libnetfilter_queue call that failed.
    public var step: String
    public var errno: Int32

    public var description: String {
        "NFQUEUE \(step) failed: \(String(cString: strerror(errno)))" + (errno == EPERM ? " (needs CAP_NET_ADMIN)" : "")
    }
}

/// A worker's NFQUEUE binding and packet loop (the only code that touches libnetfilter_queue).
///
/// One dedicated thread reads the netlink socket, hands each packet to the ``PacketProcessor`` with
/// the active snapshot read once per batch, and issues verdicts the way Suricata's NFQ source does:
/// runs of plain accepts go out as one batch verdict (flushed before any other verdict, when the
/// socket is empty and every ``NetfilterQueueConfiguration/batchLimit`` packets); drops are
/// `NF_DROP`; flow offloads are `NF_REPEAT` with the ``Shared/PacketMarks`` bit that the mangle chain
/// saves as the connmark; rejects are `NF_ACCEPT` with the reject mark for the filter chain.
/// `NETLINK_NO_ENOBUFS` keeps the loop going when the kernel outruns it (the queue's own length then
/// applies, with the fail-open flag only when configured). Every packet gets a verdict: one whose
/// payload cannot be read gets the fail-open/closed verdict, and on stop the socket is drained.
public final class NetfilterQueue: @unchecked Sendable {
    // Unchecked: the C handles and the loop state are used only by the packet thread once started
    // (``init`` runs before it, teardown after it is joined); `running` is atomic.
    public let configuration: NetfilterQueueConfiguration
    private let loop: PacketLoop
    private let active: ActiveSnapshot
    private let eve: EveWriter?
    private let board: CounterBoard
    private let log: WorkerLog
    private var handle: OpaquePointer?
    private var queueHandle: OpaquePointer?
    private let descriptor: Int32
    private let running = Atomic<Bool>(false)
    private let thread = Mutex<WorkerThread?>(nil)

    /// Binds the queue; packets start flowing to the socket at once and are read after ``start()``.
    public init(
        configuration: NetfilterQueueConfiguration, processor: PacketProcessor, active: ActiveSnapshot,
        eve: EveWriter?, counters: CounterBoard, log: WorkerLog
    ) throws(NetfilterQueueError) {
        self.configuration = configuration
        self.active = active
        self.eve = eve
        board = counters
        self.log = log
        loop = PacketLoop(processor: processor, batchLimit: configuration.batchLimit, log: log)

        guard let handle = nfq_open() else { throw NetfilterQueueError(step: "nfq_open", errno: errno) }
        self.handle = handle
        // Legacy calls, no-ops on current kernels; errors are harmless.
        for family in [UInt16(AF_INET), UInt16(AF_INET6)] {
            _ = nfq_unbind_pf(handle, family)
            _ = nfq_bind_pf(handle, family)
        }
        let context = Unmanaged.passUnretained(loop).toOpaque()
        guard let queueHandle = nfq_create_queue(handle, configuration.queue, packetCallback, context) else {
            let error = NetfilterQueueError(step: "nfq_create_queue(\(configuration.queue))", errno: errno)
            nfq_close(handle)
            throw error
        }
        self.queueHandle = queueHandle
        loop.queueHandle = queueHandle
        descriptor = nfq_fd(handle)
        func fail(_ step: String) -> NetfilterQueueError {
            let error = NetfilterQueueError(step: step, errno: errno)
            nfq_destroy_queue(queueHandle)
            nfq_close(handle)
            return error
        }
        guard nfq_set_mode(queueHandle, rampart_nfqnl_copy_packet(), 0xFFFF) >= 0 else { throw fail("nfq_set_mode") }
        if nfq_set_queue_maxlen(queueHandle, configuration.maximumLength) < 0 {
            log("warning: nfq_set_queue_maxlen(\(configuration.maximumLength)) failed: \(String(cString: strerror(errno)))")
        }
        let failOpen = rampart_nfqa_cfg_f_fail_open()
        if nfq_set_queue_flags(queueHandle, failOpen, configuration.kernelFailOpen ? failOpen : 0) < 0, configuration.kernelFailOpen {
            log("warning: cannot set NFQA_CFG_F_FAIL_OPEN: \(String(cString: strerror(errno)))")
        }
        var one: Int32 = 1
        if setsockopt(descriptor, Int32(rampart_sol_netlink()), Int32(rampart_netlink_no_enobufs()), &one, socklen_t(MemoryLayout<Int32>.size)) < 0 {
            log("warning: cannot set NETLINK_NO_ENOBUFS: \(String(cString: strerror(errno)))")
        }
        var size = Int32(clamping: configuration.receiveBufferBytes)
        if setsockopt(descriptor, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) < 0 {
            _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    deinit {
        teardown()
    }

    /// Starts the packet thread.
    public func start() {
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        let worker = WorkerThread(name: "rampart-q\(configuration.queue)") { [self] in run() }
        thread.withLock { $0 = worker }
    }

    /// Stops the packet thread (after draining what the socket holds), unbinds the queue and
    /// flushes the EVE buffer.
    public func stop() {
        running.store(false, ordering: .releasing)
        let worker = thread.withLock { current -> WorkerThread? in
            defer { current = nil }
            return current
        }
        worker?.join()
        teardown()
        eve?.flush()
        board.publish(loop.processor.currentCounters)
    }

    private func teardown() {
        if let queueHandle { nfq_destroy_queue(queueHandle) }
        if let handle { nfq_close(handle) }
        queueHandle = nil
        handle = nil
    }

    // MARK: Packet thread

    private func run() {
        let capacity = 256 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var lastPublish = 0.0
        var lastExpiry = 0.0
        while running.load(ordering: .acquiring) {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 100)
            if ready > 0 { readBatch(buffer: buffer, capacity: capacity) }
            let now = Clocks.monotonic()
            eve?.flushIfDue(now: now)
            if now - lastExpiry >= 1 {
                loop.processor.expireFlows(now: now)
                lastExpiry = now
            }
            if now - lastPublish >= 0.25 {
                board.publish(loop.processor.currentCounters)
                lastPublish = now
            }
        }
        // Drain what is already queued to the socket so those packets get a verdict now rather than
        // the kernel's drop when the queue is destroyed.
        for _ in 0..<64 where readBatch(buffer: buffer, capacity: capacity) > 0 {}
    }

    /// Reads and handles up to one batch; returns the number of packets handled.
    @discardableResult
    private func readBatch(buffer: UnsafeMutableRawPointer, capacity: Int) -> Int {
        guard let handle else { return 0 }
        loop.begin(snapshot: active.current, now: Clocks.monotonic(), wallClock: Clocks.wall())
        while loop.packetsInBatch < configuration.batchLimit {
            let received = recv(descriptor, buffer, capacity, Int32(MSG_DONTWAIT))
            if received < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN, errno != EWOULDBLOCK { loop.report("recv: \(String(cString: strerror(errno)))") }
                break
            }
            if received == 0 { break }
            _ = nfq_handle_packet(handle, buffer.assumingMemoryBound(to: CChar.self), Int32(received))
        }
        let handled = loop.packetsInBatch
        loop.end()
        if !loop.events.isEmpty {
            eve?.append(loop.events)
            loop.events.removeAll(keepingCapacity: true)
        }
        return handled
    }
}

/// The packet thread's state: the processor, the verdict batch, the batch's snapshot and clocks.
private final class PacketLoop {
    var processor: PacketProcessor
    var batcher: VerdictBatcher
    var queueHandle: OpaquePointer?
    var events: [EveEvent] = []
    var snapshot: CompiledSnapshot?
    var now = 0.0
    var wallClock = 0.0
    var packetsInBatch = 0
    let log: WorkerLog
    private var lastReport = -Double.infinity
    private var suppressedReports = 0

    init(processor: PacketProcessor, batchLimit: Int, log: WorkerLog) {
        self.processor = processor
        batcher = VerdictBatcher(limit: batchLimit)
        self.log = log
        events.reserveCapacity(64)
    }

    func begin(snapshot: CompiledSnapshot?, now: Double, wallClock: Double) {
        self.snapshot = snapshot
        self.now = now
        self.wallClock = wallClock
        packetsInBatch = 0
    }

    func end() {
        flushAccepts()
        snapshot = nil
    }

    /// Called by libnetfilter_queue for each packet.
    func handle(_ data: OpaquePointer) {
        let rawID = rampart_nfq_packet_id(data)
        guard rawID >= 0 else {
            report("queued message without a packet header")
            return
        }
        packetsInBatch += 1
        let id = UInt32(truncatingIfNeeded: rawID)
        let mark = nfq_get_nfmark(data)
        var payload: UnsafeMutablePointer<UInt8>?
        let length = nfq_get_payload(data, &payload)
        let verdict: Verdict
        if length >= 0, let payload {
            verdict = processor.process(
                bytes: UnsafeRawBufferPointer(start: payload, count: Int(length)), snapshot: snapshot, now: now,
                wallClock: wallClock, events: &events
            )
        } else {
            verdict = processor.configuration.failOpen ? .accept : .drop
        }
        issue(verdict, id: id, mark: mark)
    }

    private func issue(_ verdict: Verdict, id: UInt32, mark: UInt32) {
        guard let queueHandle else { return }
        let kernel = KernelVerdict.carrying(verdict, existingMark: mark)
        if kernel.code == .accept, kernel.mark == nil {
            if let batchID = batcher.accept(id) { batchAccept(batchID) }
            return
        }
        flushAccepts()
        let code: UInt32
        switch kernel.code {
        case .accept: code = rampart_nf_accept()
        case .drop: code = rampart_nf_drop()
        case .repeat: code = rampart_nf_repeat()
        }
        let result = kernel.mark.map { nfq_set_verdict2(queueHandle, id, code, $0, 0, nil) }
            ?? nfq_set_verdict(queueHandle, id, code, 0, nil)
        if result < 0 { report("verdict \(verdict) for packet \(id): \(String(cString: strerror(errno)))") }
    }

    private func flushAccepts() {
        if let id = batcher.flush() { batchAccept(id) }
    }

    private func batchAccept(_ id: UInt32) {
        guard let queueHandle else { return }
        // Without a mark attribute: each packet keeps its own mark.
        if nfq_set_verdict_batch(queueHandle, id, rampart_nf_accept()) < 0 {
            report("batch accept up to packet \(id): \(String(cString: strerror(errno)))")
        }
    }

    /// Logs an error at most once a second.
    func report(_ message: String) {
        let now = Clocks.monotonic()
        if now - lastReport >= 1 {
            log("error: \(message)" + (suppressedReports > 0 ? " (\(suppressedReports) similar suppressed)" : ""))
            lastReport = now
            suppressedReports = 0
        } else {
            suppressedReports += 1
        }
    }
}

/// libnetfilter_queue's per-packet callback; `context` is the unretained ``PacketLoop``.
private let packetCallback: @convention(c) (
    OpaquePointer?, UnsafeMutablePointer<nfgenmsg>?, OpaquePointer?, UnsafeMutableRawPointer?
) -> Int32 = { _, _, data, context in
    guard let data, let context else { return 0 }
    Unmanaged<PacketLoop>.fromOpaque(context).takeUnretainedValue().handle(data)
    return 0
}
