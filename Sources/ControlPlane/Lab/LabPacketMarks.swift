/// The packet and connection mark bits the lab's iptables chains act on.
///
/// These are copies of `PacketMarks` in `Sources/Shared/Netfilter/PacketMarks.swift`, which the
/// worker sets in its verdicts. The lab files import only Foundation, so they cannot use `Shared`
/// directly; `Tests/EndToEndTests/LabChainsTests.swift` installs the chains and checks that the
/// values in them are `PacketMarks`' values, so the two cannot drift apart unnoticed.
public enum LabPacketMarks {
    /// Every bit Rampart owns (`PacketMarks.mask`).
    public static let mask: UInt32 = 0x0F00_0000
    /// The flow is accepted for good: saved as the connmark, never queued again (`PacketMarks.acceptFlow`).
    public static let acceptFlow: UInt32 = 0x0100_0000
    /// The flow is dropped for good: saved as the connmark, dropped by the kernel (`PacketMarks.dropFlow`).
    public static let dropFlow: UInt32 = 0x0200_0000
    /// The packet is answered with a reset or ICMP unreachable in `FORWARD` (`PacketMarks.reject`).
    public static let reject: UInt32 = 0x0400_0000
}
