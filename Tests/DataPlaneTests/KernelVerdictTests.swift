import Testing
@testable import DataPlane
import Shared

@Suite("Kernel verdicts and batching")
struct KernelVerdictTests {
    @Test func marksReplaceOnlyRampartBits() {
        let foreign: UInt32 = 0x0000_00F1 | PacketMarks.dropFlow
        #expect(KernelVerdict.carrying(.accept, existingMark: foreign) == KernelVerdict(code: .accept, mark: nil))
        #expect(KernelVerdict.carrying(.drop, existingMark: foreign) == KernelVerdict(code: .drop, mark: nil))
        #expect(KernelVerdict.carrying(.acceptFlow, existingMark: foreign) == KernelVerdict(code: .repeat, mark: 0xF1 | PacketMarks.acceptFlow))
        #expect(KernelVerdict.carrying(.dropFlow, existingMark: 0xF1) == KernelVerdict(code: .repeat, mark: 0xF1 | PacketMarks.dropFlow))
        #expect(KernelVerdict.carrying(.reject, existingMark: 0x7000_0000) == KernelVerdict(code: .accept, mark: 0x7000_0000 | PacketMarks.reject))
    }

    @Test func batcherFlushesAtTheLimitWithTheHighestID() {
        var batcher = VerdictBatcher(limit: 3)
        #expect(batcher.accept(10) == nil)
        #expect(batcher.accept(11) == nil)
        #expect(batcher.accept(12) == 12)
        #expect(batcher.pendingCount == 0 && batcher.flush() == nil)
        #expect(batcher.accept(13) == nil)
        #expect(batcher.flush() == 13)
        #expect(batcher.flush() == nil)
    }
}
