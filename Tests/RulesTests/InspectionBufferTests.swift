import Testing

@testable import Rules

@Suite("Inspection buffers")
struct InspectionBufferTests {
    @Test func eachBufferIndexesItsOwnPositionInAllCases() {
        for (position, buffer) in InspectionBuffer.allCases.enumerated() {
            #expect(buffer.index == position, "\(buffer.rawValue)")
        }
    }

    @Test func buffersStayDistinctAsSetMembersAndKeys() {
        let all = Set(InspectionBuffer.allCases)
        #expect(all.count == InspectionBuffer.allCases.count)
        let byName = Dictionary(uniqueKeysWithValues: InspectionBuffer.allCases.map { ($0, $0.rawValue) })
        for buffer in InspectionBuffer.allCases {
            #expect(byName[buffer] == buffer.rawValue)
        }
    }
}
