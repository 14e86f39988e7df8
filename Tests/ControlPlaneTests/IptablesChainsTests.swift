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

    @Test func tlsDiversionComesBeforeTheOffloadAndQueueRules() throws {
        let rules = IptablesChains(queueCount: 2, failOpen: false, tlsPort: 15443).prerouting(for: .ipv4).rules
        let socketMark = ["-p", "tcp", "-m", "socket", "--transparent", "-j", "MARK", "--set-mark", "0x08000000/0x08000000"]
        let socketAccept = ["-p", "tcp", "-m", "mark", "--mark", "0x08000000/0x08000000", "-m", "socket", "--transparent", "-j", "ACCEPT"]
        let tproxy = [
            "-p", "tcp", "-m", "mark", "--mark", "0x08000000/0x08000000", "-j", "TPROXY", "--on-port", "15443",
            "--tproxy-mark", "0x08000000/0x08000000",
        ]
        let saveDivert = ["-p", "tcp", "-m", "mark", "--mark", "0x08000000/0x08000000", "-j", "CONNMARK", "--save-mark", "--mask", "0x0f000000"]
        let dropLate = ["-p", "tcp", "-m", "connmark", "--mark", "0x08000000/0x08000000", "-j", "DROP"]
        let positions = try [socketMark, socketAccept, saveDivert, tproxy, dropLate].map { rule in
            try #require(rules.firstIndex(of: rule), "missing \(rule)")
        }
        #expect(positions == [1, 2, 3, 4, 5], "after the loopback rule, in this order")
        let offload = try #require(rules.firstIndex { $0.contains("connmark") && $0.contains("ACCEPT") })
        #expect(positions.allSatisfy { $0 < offload })
    }
}
