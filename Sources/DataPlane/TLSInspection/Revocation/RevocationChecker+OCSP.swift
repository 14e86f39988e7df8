import Foundation
import X509

extension RevocationChecker {
    /// POSTs an OCSP request for the certificate to `url` and judges the response.
    func askResponder(
        _ url: String, fields: CertificateFields, issuer: Certificate, issuerFields: CertificateFields
    ) async -> RevocationAttempt {
        guard let certificateID = OCSPCertificateID(serialNumber: fields.serialNumber, issuer: issuerFields) else {
            return RevocationAttempt(status: nil, reason: "OCSP responder \(url): no CertID", expires: failureExpiry())
        }
        var nonce: [UInt8]?
        if configuration.sendsNonce {
            var generator = SystemRandomNumberGenerator()
            nonce = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
        let request = OCSPRequest(certificateID: certificateID, nonce: nonce)
        let body: [UInt8]
        do {
            body = try await fetcher.fetch(url: url, body: try request.derEncoded(), contentType: "application/ocsp-request")
        } catch {
            return RevocationAttempt(
                status: nil, reason: "OCSP responder \(url) \(Self.phrase(for: error))", expires: failureExpiry()
            )
        }
        let validator = OCSPResponseValidator(
            request: request, issuer: issuer, issuerFields: issuerFields, now: now(), freshness: freshness
        )
        let entry: OCSPSingleResponse
        do {
            entry = try validator.validate(body)
        } catch {
            return RevocationAttempt(status: nil, reason: "OCSP responder \(url): \(error)", expires: failureExpiry())
        }
        let expires = expiry(nextUpdate: entry.nextUpdate)
        switch entry.status {
        case .good:
            return RevocationAttempt(status: .good, reason: "OCSP responder \(url): good", expires: expires)
        case .revoked(let time, let reason):
            let why = reason.map { " (\($0))" } ?? ""
            return RevocationAttempt(
                status: .revoked, reason: "OCSP responder \(url): revoked\(why) at \(ASN1Time.text(time))", expires: expires
            )
        case .unknown:
            return RevocationAttempt(status: .unknown, reason: "OCSP responder \(url): certificate unknown", expires: expires)
        }
    }
}
