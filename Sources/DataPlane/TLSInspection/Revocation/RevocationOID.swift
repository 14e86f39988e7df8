import SwiftASN1

/// The object identifiers revocation checking reads and writes.
enum RevocationOID {
    /// id-sha1 (RFC 3279), the CertID hash every OCSP responder understands.
    static let sha1: ASN1ObjectIdentifier = [1, 3, 14, 3, 2, 26]
    static let sha256: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 1]
    static let sha384: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 2]
    static let sha512: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 3]

    /// id-pkix-ocsp-basic: the only OCSP response type (RFC 6960 section 4.2.1).
    static let ocspBasicResponse: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 48, 1, 1]
    /// id-pkix-ocsp-nonce (RFC 6960 section 4.4.1, RFC 8954).
    static let ocspNonce: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 48, 1, 2]

    /// id-ce-cRLDistributionPoints (RFC 5280 section 4.2.1.13).
    static let crlDistributionPoints: ASN1ObjectIdentifier = [2, 5, 29, 31]
    /// id-ce-cRLNumber, id-ce-authorityKeyIdentifier, id-ce-freshestCRL, id-pe-authorityInfoAccess:
    /// the CRL extensions that change nothing in a full CRL's meaning.
    static let crlNumber: ASN1ObjectIdentifier = [2, 5, 29, 20]
    static let authorityKeyIdentifier: ASN1ObjectIdentifier = [2, 5, 29, 35]
    static let freshestCRL: ASN1ObjectIdentifier = [2, 5, 29, 46]
    static let authorityInformationAccess: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 1, 1]
    /// id-ce-issuingDistributionPoint: the scope of a partitioned CRL (RFC 5280 section 5.2.5).
    static let issuingDistributionPoint: ASN1ObjectIdentifier = [2, 5, 29, 28]
    /// id-ce-deltaCRLIndicator: a delta CRL, which alone cannot say "good".
    static let deltaCRLIndicator: ASN1ObjectIdentifier = [2, 5, 29, 27]
    /// id-ce-cRLReasons and id-ce-invalidityDate: CRL entry extensions.
    static let crlReason: ASN1ObjectIdentifier = [2, 5, 29, 21]
    static let invalidityDate: ASN1ObjectIdentifier = [2, 5, 29, 24]
}
