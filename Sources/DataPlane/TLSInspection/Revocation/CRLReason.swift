/// Why a certificate was revoked (RFC 5280 section 5.3.1), as OCSP and CRLs both carry it.
struct CRLReason: Hashable, Sendable, CustomStringConvertible {
    var code: Int

    /// The RFC's name (`keyCompromise`), or `reason N` for a code it does not define.
    var description: String {
        switch code {
        case 0: "unspecified"
        case 1: "keyCompromise"
        case 2: "cACompromise"
        case 3: "affiliationChanged"
        case 4: "superseded"
        case 5: "cessationOfOperation"
        case 6: "certificateHold"
        case 8: "removeFromCRL"
        case 9: "privilegeWithdrawn"
        case 10: "aACompromise"
        default: "reason \(code)"
        }
    }
}
