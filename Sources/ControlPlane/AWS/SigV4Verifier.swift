import Foundation

/// Checks a request's Signature Version 4 (header form) against the access keys: the scope's
/// region and service, the time (at most 15 minutes either way), the signed headers that must be
/// there, the payload hash, and the signature itself. Returns the access key id that signed it.
struct SigV4Verifier: Sendable {
    /// The region every credential scope must name (`rampart serve --region`).
    let region: String
    /// The clock skew allowed either way.
    var maximumSkew: TimeInterval = 15 * 60

    /// - Parameters:
    ///   - services: the signing names the scope may carry (`network-firewall`, `acm`).
    ///   - requiredHeaders: headers that must be among the signed ones besides `host` and `x-amz-date`.
    ///   - secret: the secret of an access key id, nil when there is no such (live) key.
    func verify(
        _ request: SigV4Request, services: Set<String>, requiredHeaders: [String] = [], now: Date,
        secret: (String) throws -> String?
    ) throws -> String {
        guard let header = request.header("authorization") else {
            throw SigV4Failure.missing("Missing Authentication Token: the request carries no Authorization header")
        }
        let authorization = try SigV4Authorization(header: header)
        guard let amzDate = request.header("x-amz-date") else {
            throw SigV4Failure.incomplete("Authorization header requires existence of an 'X-Amz-Date' header")
        }
        guard let signedAt = Self.parseAmzDate(amzDate) else {
            throw SigV4Failure.incomplete("X-Amz-Date must be an ISO 8601 basic date-time such as 20261206T120000Z, got '\(amzDate)'")
        }
        for name in ["host", "x-amz-date"] + requiredHeaders where !authorization.signedHeaders.contains(name) {
            throw SigV4Failure.incomplete("SignedHeaders must include '\(name)'")
        }
        for name in authorization.signedHeaders where request.header(name) == nil {
            throw SigV4Failure.incomplete("SignedHeaders names '\(name)', which the request does not carry")
        }
        guard let keySecret = try secret(authorization.accessKeyId) else {
            throw SigV4Failure.unrecognizedClient("The security token included in the request is invalid: no access key \(authorization.accessKeyId)")
        }
        guard authorization.date == String(amzDate.prefix(8)) else {
            throw SigV4Failure.invalidSignature("Date in Credential scope (\(authorization.date)) does not match the date of X-Amz-Date (\(amzDate.prefix(8)))")
        }
        guard authorization.region == region else {
            throw SigV4Failure.invalidSignature("Credential should be scoped to a valid region, not '\(authorization.region)'; this endpoint is '\(region)'")
        }
        guard services.contains(authorization.service) else {
            throw SigV4Failure.invalidSignature("Credential should be scoped to correct service: '\(services.sorted().joined(separator: "' or '"))', not '\(authorization.service)'")
        }
        let skew = signedAt.timeIntervalSince(now)
        if abs(skew) > maximumSkew {
            throw SigV4Failure.invalidSignature(
                "Signature expired: \(amzDate) is \(skew < 0 ? "earlier" : "later") than now (\(Self.formatAmzDate(now))) by more than \(Int(maximumSkew / 60)) minutes"
            )
        }
        let payloadHash = SigV4Canonicalization.hexSHA256(request.payload)
        if let declared = request.header("x-amz-content-sha256"), declared != payloadHash {
            throw SigV4Failure.invalidSignature("x-amz-content-sha256 does not match the SHA-256 of the payload")
        }
        let canonical = SigV4Canonicalization.canonicalRequest(request, signedHeaders: authorization.signedHeaders, payloadHash: payloadHash)
        let toSign = SigV4Canonicalization.stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: authorization.scope)
        let key = SigV4Canonicalization.signingKey(secret: keySecret, date: authorization.date, region: authorization.region, service: authorization.service)
        let expected = SigV4Canonicalization.signature(stringToSign: toSign, key: key)
        guard Self.constantTimeEquals(expected, authorization.signature) else {
            throw SigV4Failure.invalidSignature("The request signature we calculated does not match the signature you provided; check your AWS Secret Access Key and signing method")
        }
        return authorization.accessKeyId
    }

    static func parseAmzDate(_ text: String) -> Date? {
        guard text.count == 16 else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: text)
    }

    static func formatAmzDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    private static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
