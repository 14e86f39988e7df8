import Testing
@testable import DataPlane

@Suite("Allocator")
struct AllocatorTests {
    @Test("jemalloc serves malloc in a process that links the data plane, and reports its version")
    func jemallocServesMalloc() throws {
        let version = try #require(Allocator.version)
        #expect(version.hasPrefix("5."))
        #expect(Allocator.servesMalloc)
        #expect(Allocator.summary == "allocator: jemalloc \(version)")
    }
}
