import Foundation
import X509

extension RevocationChecker {
    /// Looks the certificate up in the CRL at `url`: the cached one when it verified with this issuer's
    /// key and has not expired, else a fresh download that is verified and then cached.
    func consultCRL(
        _ url: String, fields: CertificateFields, issuer: Certificate, issuerFields: CertificateFields
    ) async -> RevocationAttempt {
        let verified: VerifiedCRL
        if let cached = crls.value(for: url, now: now()), cached.issuerPublicKey == issuerFields.subjectPublicKey {
            verified = cached
        } else {
            switch await download(url) {
            case .failed(let phrase):
                return RevocationAttempt(status: nil, reason: "CRL \(url)\(phrase)", expires: failureExpiry())
            case .parsed(let list):
                do {
                    try list.validate(issuer: issuer, url: url, now: now(), freshness: freshness)
                } catch {
                    return RevocationAttempt(status: nil, reason: "CRL \(url): \(error)", expires: failureExpiry())
                }
                verified = VerifiedCRL(
                    list: list, issuerPublicKey: issuerFields.subjectPublicKey, expires: expiry(nextUpdate: list.nextUpdate)
                )
                crls.insert(verified, for: url, expires: verified.expires, now: now())
            }
        }
        if let revoked = verified.list.revoked[fields.serialNumber] {
            let why = revoked.reason.map { " (\($0))" } ?? ""
            return RevocationAttempt(
                status: .revoked, reason: "CRL \(url): revoked\(why) at \(ASN1Time.text(revoked.revocationDate))",
                expires: verified.expires
            )
        }
        return RevocationAttempt(status: .good, reason: "CRL \(url): good (not listed)", expires: verified.expires)
    }

    /// Fetches and parses the CRL at `url`, one download per URL however many checks want it.
    private func download(_ url: String) async -> CRLDownload {
        while true {
            if pendingCRLs.claim(url) {
                let outcome: CRLDownload
                do {
                    let bytes = try await fetcher.fetch(url: url, body: nil, contentType: nil)
                    do {
                        outcome = .parsed(try CertificateRevocationList(bytes: bytes))
                    } catch {
                        outcome = .failed(": \(RevocationValidationError.malformed(reading: error))")
                    }
                } catch {
                    outcome = .failed(" \(Self.phrase(for: error))")
                }
                pendingCRLs.finish(url, with: Task.isCancelled ? nil : outcome)
                return outcome
            }
            if let shared = await withCheckedContinuation({ pendingCRLs.wait(for: url, $0) }) {
                return shared
            }
        }
    }
}
