import Shared
import Testing

@testable import ControlPlane

@Suite("Iptables chains")
struct IptablesChainsTests {
    @Test func preroutingQueuesUndecidedFlowsAndOffloadsDecidedOnes() {
        let chain = IptablesChains(queueCount: 2, failOpen: false).prerouting(for: .ipv4)
        #expect(chain.table == "mangle")
        #expect(chain.hook == "PREROUTING")
        #expect(chain.rules.first == ["-i", "lo", "-j", "RETURN"])
        #expect(chain.rules.contains(["-m", "connmark", "--mark", "0x01000000/0x01000000", "-j", "ACCEPT"]))
        #expect(chain.rules.contains(["-m", "connmark", "--mark", "0x02000000/0x02000000", "-j", "DROP"]))
        #expect(chain.rules.contains(["-m", "mark", "--mark", "0x01000000/0x01000000", "-j", "CONNMARK", "--save-mark", "--mask", "0x0f000000"]))
        #expect(chain.rules.last == ["-j", "NFQUEUE", "--queue-balance", "0:1"])
    }

    @Test func failOpenAddsBypassAndOneQueueUsesQueueNum() {
        let chain = IptablesChains(queueCount: 1, failOpen: true).prerouting(for: .ipv6)
        #expect(chain.rules.last == ["-j", "NFQUEUE", "--queue-num", "0", "--queue-bypass"])
    }

    @Test func forwardRejectsWithTheFamilysAnswer() {
        let v4 = IptablesChains(queueCount: 1, failOpen: false).forward(for: .ipv4)
        #expect(v4.rules.contains(["-p", "tcp", "-m", "mark", "--mark", "0x04000000/0x04000000", "-j", "REJECT", "--reject-with", "tcp-reset"]))
        #expect(v4.rules.last?.last == "icmp-port-unreachable")
        #expect(IptablesChains(queueCount: 1, failOpen: false).forward(for: .ipv6).rules.last?.last == "icmp6-port-unreachable")
    }
}
