import Dispatch
import Foundation

/// A dedicated OS thread that can be joined.
final class WorkerThread: Sendable {
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `body` on a new thread named `name`.
    init(name: String, body: @escaping @Sendable () -> Void) {
        let finished = finished
        let thread = Thread {
            body()
            finished.signal()
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Waits until the body returned.
    func join() {
        finished.wait()
        finished.signal()
    }
}
