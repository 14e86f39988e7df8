import Testing
@testable import DataPlane
import Shared

@Suite("Flow table")
struct FlowTableTests {
    @Test func tcpHandshakeEstablishesAndDirectionsFollowTheClient() {
        var table = FlowTable()
        let syn = table.track(Packets.tcpPacket("10.0.0.1:40000", "10.0.0.2:80", flags: Packets.syn), now: 0)
        #expect(syn.isNew && syn.direction == .toServer && !syn.established && syn.firstPacketInDirection)
        #expect(table[syn.handle].tcpState == .synSent)

        let synAck = table.track(Packets.tcpPacket("10.0.0.2:80", "10.0.0.1:40000", flags: Packets.synAck), now: 0.1)
        #expect(!synAck.isNew && synAck.direction == .toClient && !synAck.established && synAck.firstPacketInDirection)
        #expect(table[synAck.handle].tcpState == .synReceived)
        #expect(synAck.handle == syn.handle)

        let ack = table.track(Packets.tcpPacket("10.0.0.1:40000", "10.0.0.2:80", flags: Packets.ack), now: 0.2)
        #expect(ack.direction == .toServer && !ack.established && !ack.firstPacketInDirection, "the ACK completing it is not")
        #expect(table[ack.handle].tcpState == .established)

        let data = table.track(Packets.tcpPacket("10.0.0.2:80", "10.0.0.1:40000", flags: Packets.pshAck), now: 0.3)
        #expect(data.direction == .toClient && data.established && !data.firstPacketInDirection)
        let flow = table[data.handle]
        #expect(flow.packetsToServer == 2 && flow.packetsToClient == 2)
        #expect(flow.client.address == IPAddress("10.0.0.1") && flow.client.port == 40000)
        #expect(flow.server.port == 80)
        #expect(table.count == 1)
    }

    @Test func ackWithoutSynAckDoesNotEstablish() {
        var table = FlowTable()
        _ = table.track(Packets.tcpPacket("10.0.0.1:40000", "10.0.0.2:80", flags: Packets.syn), now: 0)
        let ack = table.track(Packets.tcpPacket("10.0.0.1:40000", "10.0.0.2:80", flags: Packets.ack), now: 0.1)
        #expect(!ack.established)
    }

    @Test func asyncOneSideLetsTheClientsAckEstablish() {
        var table = FlowTable(configuration: FlowTableConfiguration(asyncOneSide: true))
        _ = table.track(Packets.tcpPacket("10.0.0.1:40000", "10.0.0.2:80", flags: Packets.syn), now: 0)
        let ack = table.track(Packets.tcpPacket("10.0.0.1:40000", "10.0.0.2:80", flags: Packets.ack), now: 0.1)
        #expect(!ack.established && table[ack.handle].tcpState == .established && table[ack.handle].isAsync)
        let data = table.track(Packets.tcpPacket("10.0.0.1:40000", "10.0.0.2:80", flags: Packets.pshAck), now: 0.2)
        #expect(data.established)
    }

    @Test func finAndRstClose() {
        var table = FlowTable()
        func handshake() {
            _ = table.track(Packets.tcpPacket("10.0.0.1:40000", "10.0.0.2:80", flags: Packets.syn), now: 0)
            _ = table.track(Packets.tcpPacket("10.0.0.2:80", "10.0.0.1:40000", flags: Packets.synAck), now: 0)
            _ = table.track(Packets.tcpPacket("10.0.0.1:40000", "10.0.0.2:80", flags: Packets.ack), now: 0)
        }
        handshake()
        let fin1 = table.track(Packets.tcpPacket("10.0.0.1:40000", "10.0.0.2:80", flags: Packets.finAck), now: 1)
        #expect(table[fin1.handle].tcpState == .closing && fin1.established)
        let fin2 = table.track(Packets.tcpPacket("10.0.0.2:80", "10.0.0.1:40000", flags: Packets.finAck), now: 1)
        #expect(table[fin2.handle].tcpState == .closed)

        // A new SYN on the closed 5-tuple starts a new flow with a new id.
        let oldID = table[fin2.handle].id
        let again = table.track(Packets.tcpPacket("10.0.0.1:40000", "10.0.0.2:80", flags: Packets.syn), now: 2)
        #expect(again.isNew && table[again.handle].id != oldID && table[again.handle].tcpState == .synSent)

        var other = FlowTable()
        _ = other.track(Packets.tcpPacket("10.0.0.1:1", "10.0.0.2:2", flags: Packets.syn), now: 0)
        let reset = other.track(Packets.tcpPacket("10.0.0.2:2", "10.0.0.1:1", flags: Packets.rst | Packets.ack), now: 0)
        #expect(other[reset.handle].tcpState == .closed && !reset.established)
    }

    @Test func synAckFirstMakesTheReceiverTheClient() {
        var table = FlowTable()
        let first = table.track(Packets.tcpPacket("10.0.0.2:80", "10.0.0.1:40000", flags: Packets.synAck), now: 0)
        #expect(first.direction == .toClient)
        #expect(table[first.handle].client.port == 40000)
        let ack = table.track(Packets.tcpPacket("10.0.0.1:40000", "10.0.0.2:80", flags: Packets.ack), now: 0)
        #expect(ack.direction == .toServer && !ack.established)
        let data = table.track(Packets.tcpPacket("10.0.0.1:40000", "10.0.0.2:80", flags: Packets.pshAck), now: 0)
        #expect(data.direction == .toServer && data.established)
    }

    @Test func midstreamTCPEstablishesOnceBothSidesSpoke() {
        var table = FlowTable()
        let first = table.track(Packets.tcpPacket("10.0.0.1:40000", "10.0.0.2:80", flags: Packets.pshAck), now: 0)
        #expect(table[first.handle].tcpState == .midstream && !first.established)
        let answer = table.track(Packets.tcpPacket("10.0.0.2:80", "10.0.0.1:40000", flags: Packets.ack), now: 0)
        #expect(answer.established)
    }

    @Test func udpEstablishedOnceBothDirectionsSeen() {
        var table = FlowTable()
        let query = table.track(Packets.udpPacket("10.0.0.1:5353", "10.0.0.53:53"), now: 0)
        #expect(query.direction == .toServer && !query.established && query.firstPacketInDirection)
        let again = table.track(Packets.udpPacket("10.0.0.1:5353", "10.0.0.53:53"), now: 0.1)
        #expect(!again.established && !again.firstPacketInDirection)
        let answer = table.track(Packets.udpPacket("10.0.0.53:53", "10.0.0.1:5353"), now: 0.2)
        #expect(answer.direction == .toClient && answer.established && answer.firstPacketInDirection)
    }

    @Test func icmpEchoPairsRequestAndReplyByIdentifier() {
        var table = FlowTable()
        let request = table.track(Packets.ping("10.0.0.1", "10.0.0.2", id: 5), now: 0)
        let reply = table.track(Packets.ping("10.0.0.2", "10.0.0.1", reply: true, id: 5), now: 0)
        #expect(reply.handle == request.handle && reply.direction == .toClient && reply.established)
        let otherPing = table.track(Packets.ping("10.0.0.1", "10.0.0.2", id: 6), now: 0)
        #expect(otherPing.isNew)
        #expect(table.count == 2)
    }

    @Test func ipv6FlowsWork() {
        var table = FlowTable()
        let first = table.track(Packets.tcpPacket("[2001:db8::1]:1000", "[2001:db8::2]:443", flags: Packets.syn), now: 0)
        let second = table.track(Packets.tcpPacket("[2001:db8::2]:443", "[2001:db8::1]:1000", flags: Packets.synAck), now: 0)
        #expect(first.handle == second.handle && second.direction == .toClient)
    }

    @Test func idleFlowsExpirePerProtocolTimeout() {
        var table = FlowTable(configuration: FlowTableConfiguration(tcpIdleTimeout: 350, udpIdleTimeout: 60, icmpIdleTimeout: 30))
        _ = table.track(Packets.tcpPacket("10.0.0.1:1", "10.0.0.2:2", flags: Packets.syn), now: 0)
        _ = table.track(Packets.udpPacket("10.0.0.1:1", "10.0.0.2:2"), now: 0)
        _ = table.track(Packets.ping("10.0.0.1", "10.0.0.2"), now: 0)
        #expect(table.count == 3)
        #expect(table.expire(now: 29) == 0)
        #expect(table.expire(now: 31) == 1) // ICMP
        #expect(table.flow(for: Packets.ping("10.0.0.1", "10.0.0.2")) == nil)
        #expect(table.expire(now: 61) == 1) // UDP
        #expect(table.expire(now: 349) == 0)
        #expect(table.expire(now: 351) == 1) // TCP
        #expect(table.count == 0)
        #expect(table.expirations == 3)
    }

    @Test func activityKeepsAFlowAlive() {
        var table = FlowTable(configuration: FlowTableConfiguration(udpIdleTimeout: 60))
        let first = table.track(Packets.udpPacket("10.0.0.1:1", "10.0.0.2:2"), now: 0)
        let id = table[first.handle].id
        _ = table.track(Packets.udpPacket("10.0.0.2:2", "10.0.0.1:1"), now: 50)
        #expect(table.expire(now: 100) == 0)
        // Found after its timeout without an expiry pass: replaced by a new flow.
        let late = table.track(Packets.udpPacket("10.0.0.1:1", "10.0.0.2:2"), now: 200)
        #expect(late.isNew && table[late.handle].id != id)
    }

    @Test func fullTableEvictsTheLongestIdleFlow() {
        var table = FlowTable(configuration: FlowTableConfiguration(maximumFlows: 3))
        _ = table.track(Packets.udpPacket("10.0.0.1:1", "10.0.0.9:53"), now: 0)
        _ = table.track(Packets.udpPacket("10.0.0.2:1", "10.0.0.9:53"), now: 1)
        _ = table.track(Packets.tcpPacket("10.0.0.3:1", "10.0.0.9:80", flags: Packets.syn), now: 2)
        // Touch the oldest so that the second becomes the longest idle.
        _ = table.track(Packets.udpPacket("10.0.0.1:1", "10.0.0.9:53"), now: 3)
        _ = table.track(Packets.udpPacket("10.0.0.4:1", "10.0.0.9:53"), now: 4)
        #expect(table.count == 3)
        #expect(table.evictions == 1)
        #expect(table.flow(for: Packets.udpPacket("10.0.0.2:1", "10.0.0.9:53")) == nil)
        #expect(table.flow(for: Packets.udpPacket("10.0.0.1:1", "10.0.0.9:53")) != nil)
        #expect(table.flow(for: Packets.tcpPacket("10.0.0.3:1", "10.0.0.9:80", flags: Packets.ack)) != nil)
    }

    @Test func flowIDsAreUniqueAndStartWhereAsked() {
        var table = FlowTable(firstFlowID: 1000)
        let a = table.track(Packets.udpPacket("10.0.0.1:1", "10.0.0.2:2"), now: 0)
        let b = table.track(Packets.udpPacket("10.0.0.1:3", "10.0.0.2:2"), now: 0)
        #expect(table[a.handle].id == 1000 && table[b.handle].id == 1001)
    }

    @Test func slotsAreReusedAfterExpiry() {
        var table = FlowTable(configuration: FlowTableConfiguration(maximumFlows: 100, udpIdleTimeout: 1))
        for round in 0..<10 {
            for port in 0..<50 {
                _ = table.track(Packets.udpPacket("10.0.0.1:\(port + 1)", "10.0.0.2:53"), now: Double(round * 10))
            }
            #expect(table.count == 50)
            table.expire(now: Double(round * 10 + 5))
            #expect(table.count == 0)
        }
    }
}
