/// Suricata's default `classification.config`: the classtypes a rule may name, the text EVE writes
/// as `alert.category`, and the default priority (the alert severity when the rule has no
/// `priority` keyword).
public enum Classification {
    /// Short name → (description, priority).
    static let entries: [String: (description: String, priority: Int)] = [
        "not-suspicious": ("Not Suspicious Traffic", 3),
        "unknown": ("Unknown Traffic", 3),
        "bad-unknown": ("Potentially Bad Traffic", 2),
        "attempted-recon": ("Attempted Information Leak", 2),
        "successful-recon-limited": ("Information Leak", 2),
        "successful-recon-largescale": ("Large Scale Information Leak", 2),
        "attempted-dos": ("Attempted Denial of Service", 2),
        "successful-dos": ("Denial of Service", 2),
        "attempted-user": ("Attempted User Privilege Gain", 1),
        "unsuccessful-user": ("Unsuccessful User Privilege Gain", 1),
        "successful-user": ("Successful User Privilege Gain", 1),
        "attempted-admin": ("Attempted Administrator Privilege Gain", 1),
        "successful-admin": ("Successful Administrator Privilege Gain", 1),
        "rpc-portmap-decode": ("Decode of an RPC Query", 2),
        "shellcode-detect": ("Executable code was detected", 1),
        "string-detect": ("A suspicious string was detected", 3),
        "suspicious-filename-detect": ("A suspicious filename was detected", 2),
        "suspicious-login": ("An attempted login using a suspicious username was detected", 2),
        "system-call-detect": ("A system call was detected", 2),
        "tcp-connection": ("A TCP connection was detected", 4),
        "trojan-activity": ("A Network Trojan was detected", 1),
        "unusual-client-port-connection": ("A client was using an unusual port", 2),
        "network-scan": ("Detection of a Network Scan", 3),
        "denial-of-service": ("Detection of a Denial of Service Attack", 2),
        "non-standard-protocol": ("Detection of a non-standard protocol or event", 2),
        "protocol-command-decode": ("Generic Protocol Command Decode", 3),
        "web-application-activity": ("access to a potentially vulnerable web application", 2),
        "web-application-attack": ("Web Application Attack", 1),
        "misc-activity": ("Misc activity", 3),
        "misc-attack": ("Misc Attack", 2),
        "icmp-event": ("Generic ICMP event", 3),
        "inappropriate-content": ("Inappropriate Content was Detected", 1),
        "policy-violation": ("Potential Corporate Privacy Violation", 1),
        "default-login-attempt": ("Attempt to login by a default username and password", 2),
        "targeted-activity": ("Targeted Malicious Activity was Detected", 1),
        "exploit-kit": ("Exploit Kit Activity Detected", 1),
        "external-ip-check": ("Device Retrieving External IP Address Detected", 2),
        "domain-c2": ("Domain Observed Used for C2 Detected", 1),
        "pup-activity": ("Possibly Unwanted Program Detected", 2),
        "credential-theft": ("Successful Credential Theft Detected", 1),
        "social-engineering": ("Possible Social Engineering Attempted", 2),
        "coin-mining": ("Crypto Currency Mining Activity Detected", 2),
        "command-and-control": ("Malware Command and Control Activity Detected", 1),
    ]

    /// The default priority of `classtype`, nil when Suricata does not know it.
    public static func priority(of classtype: String) -> Int? {
        entries[classtype]?.priority
    }

    /// The EVE `alert.category` for `classtype`: its description, the short name itself when it is
    /// unknown, or the empty string when the rule has no classtype (as Suricata writes).
    public static func category(for classtype: String?) -> String {
        guard let classtype else { return "" }
        return entries[classtype]?.description ?? classtype
    }
}

/// ISO 3166-1 alpha-2 country codes, the only codes the `geoip` keyword accepts on AWS Network Firewall.
enum CountryCodes {
    static let all: Set<String> = Set("""
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
        CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO \
        FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE \
        JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO \
        MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW \
        PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM \
        TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
        """.split(separator: " ").map(String.init))
}
