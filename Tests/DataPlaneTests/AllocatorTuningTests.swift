import CMalloc
import Glibc
import Testing
@testable import DataPlane

@Suite("Allocator tuning")
struct AllocatorTuningTests {
    @Test("glibc takes the settings, and a 1 MiB block then comes from the heap, not a mapping of its own")
    func settingsApply() {
        #expect(AllocatorTuning.apply().isEmpty)
        let mappedBefore = mallinfo2().hblks
        let block = malloc(1 << 20)
        defer { free(block) }
        #expect(block != nil)
        // Under glibc's default threshold (128 KiB) this block would be a mapping of its own.
        #expect(mallinfo2().hblks == mappedBefore)
        #expect(Int(AllocatorTuning.mmapThreshold) > 1 << 20)
    }
}
