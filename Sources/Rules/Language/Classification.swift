/// Suricata's default `classification.config`: the classtypes a rule may name and their default priority
/// (the alert severity when the rule has no `priority` keyword).
enum Classification {
    static let priorities: [String: Int] = [
        "not-suspicious": 3, "unknown": 3, "bad-unknown": 2, "attempted-recon": 2,
        "successful-recon-limited": 2, "successful-recon-largescale": 2, "attempted-dos": 2,
        "successful-dos": 2, "attempted-user": 1, "unsuccessful-user": 1, "successful-user": 1,
        "attempted-admin": 1, "successful-admin": 1, "rpc-portmap-decode": 2, "shellcode-detect": 1,
        "string-detect": 3, "suspicious-filename-detect": 2, "suspicious-login": 2,
        "system-call-detect": 2, "tcp-connection": 4, "trojan-activity": 1,
        "unusual-client-port-connection": 2, "network-scan": 3, "denial-of-service": 2,
        "non-standard-protocol": 2, "protocol-command-decode": 3, "web-application-activity": 2,
        "web-application-attack": 1, "misc-activity": 3, "misc-attack": 2, "icmp-event": 3,
        "inappropriate-content": 1, "policy-violation": 1, "default-login-attempt": 2,
        "targeted-activity": 1, "exploit-kit": 1, "external-ip-check": 2, "domain-c2": 1,
        "pup-activity": 2, "credential-theft": 1, "social-engineering": 2, "coin-mining": 2,
        "command-and-control": 1,
    ]

    /// The default priority of `classtype`, nil when Suricata does not know it.
    static func priority(of classtype: String) -> Int? {
        priorities[classtype]
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
