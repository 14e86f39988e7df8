import Testing

/// Every end-to-end test, nested here so that `.serialized` runs them one at a time: each starts a
/// control plane and a lab of its own, and together they would compete for CPU that the timing
/// checks (a reject is fast, a sync is within 5 s) rely on.
@Suite("End to end", .serialized)
struct EndToEnd {}
