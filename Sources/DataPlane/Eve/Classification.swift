/// Suricata's default `classification.config`: a rule's `classtype` short name → the text EVE
/// writes as `alert.category`.
public enum Classification {
    /// The category text for `classtype`: the known description, the short name itself when the
    /// name is unknown, or the empty string when the rule has no classtype (as Suricata writes).
    public static func category(for classtype: String?) -> String {
        guard let classtype else { return "" }
        return descriptions[classtype] ?? classtype
    }

    /// Short name → description.
    public static let descriptions: [String: String] = [
        "not-suspicious": "Not Suspicious Traffic",
        "unknown": "Unknown Traffic",
        "bad-unknown": "Potentially Bad Traffic",
        "attempted-recon": "Attempted Information Leak",
        "successful-recon-limited": "Information Leak",
        "successful-recon-largescale": "Large Scale Information Leak",
        "attempted-dos": "Attempted Denial of Service",
        "successful-dos": "Denial of Service",
        "attempted-user": "Attempted User Privilege Gain",
        "unsuccessful-user": "Unsuccessful User Privilege Gain",
        "successful-user": "Successful User Privilege Gain",
        "attempted-admin": "Attempted Administrator Privilege Gain",
        "successful-admin": "Successful Administrator Privilege Gain",
        "rpc-portmap-decode": "Decode of an RPC Query",
        "shellcode-detect": "Executable code was detected",
        "string-detect": "A suspicious string was detected",
        "suspicious-filename-detect": "A suspicious filename was detected",
        "suspicious-login": "An attempted login using a suspicious username was detected",
        "system-call-detect": "A system call was detected",
        "tcp-connection": "A TCP connection was detected",
        "trojan-activity": "A Network Trojan was detected",
        "unusual-client-port-connection": "A client was using an unusual port",
        "network-scan": "Detection of a Network Scan",
        "denial-of-service": "Detection of a Denial of Service Attack",
        "non-standard-protocol": "Detection of a non-standard protocol or event",
        "protocol-command-decode": "Generic Protocol Command Decode",
        "web-application-activity": "access to a potentially vulnerable web application",
        "web-application-attack": "Web Application Attack",
        "misc-activity": "Misc activity",
        "misc-attack": "Misc Attack",
        "icmp-event": "Generic ICMP event",
        "inappropriate-content": "Inappropriate Content was Detected",
        "policy-violation": "Potential Corporate Privacy Violation",
        "default-login-attempt": "Attempt to login by a default username and password",
        "targeted-activity": "Targeted Malicious Activity was Detected",
        "exploit-kit": "Exploit Kit Activity Detected",
        "external-ip-check": "Device Retrieving External IP Address Detected",
        "domain-c2": "Domain Observed Used for C2 Detected",
        "pup-activity": "Possibly Unwanted Program Detected",
        "credential-theft": "Successful Credential Theft Detected",
        "social-engineering": "Possible Social Engineering Attempted",
        "coin-mining": "Crypto Currency Mining Activity Detected",
        "command-and-control": "Malware Command and Control Activity Detected",
    ]
}
