import Crypto
import Foundation

/// The parts of an HTTP request that Signature Version 4 covers, as they arrived on the wire:
/// the path and query still percent-encoded, header names lower-cased, `host` included.
struct SigV4Request: Sendable {
    var method: String
    var rawPath: String
    var rawQuery: String?
    /// Every header the request carried (name lower-cased), in arrival order; repeated names allowed.
    var headers: [(name: String, value: String)]
    var payload: Data

    /// The value of a header, repeated ones joined with commas as SigV4 does.
    func header(_ name: String) -> String? {
        let values = headers.filter { $0.name == name }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }
}

/// The signing algorithm of Signature Version 4: canonical request, string to sign, signing key
/// and signature, exactly as AWS's signers compute them (non-S3 services: the path is encoded a
/// second time, the payload is always hashed).
enum SigV4Canonicalization {
    static let algorithm = "AWS4-HMAC-SHA256"

    static func canonicalRequest(_ request: SigV4Request, signedHeaders: [String], payloadHash: String) -> String {
        [
            request.method.uppercased(),
            canonicalPath(request.rawPath),
            canonicalQuery(request.rawQuery),
            signedHeaders.map { "\($0):\(canonicalHeaderValue(request.header($0) ?? ""))\n" }.joined(),
            signedHeaders.joined(separator: ";"),
            payloadHash,
        ].joined(separator: "\n")
    }

    static func stringToSign(canonicalRequest: String, amzDate: String, scope: String) -> String {
        [algorithm, amzDate, scope, hexSHA256(Data(canonicalRequest.utf8))].joined(separator: "\n")
    }

    /// HMAC chain `AWS4<secret>` → date → region → service → `aws4_request`.
    static func signingKey(secret: String, date: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(secret)".utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    static func signature(stringToSign: String, key: SymmetricKey) -> String {
        hex(Data(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key)))
    }

    static func hexSHA256(_ data: Data) -> String {
        hex(Data(SHA256.hash(data: data)))
    }

    // MARK: Canonical forms

    /// The raw path encoded once more, keeping `/` and the unreserved characters.
    static func canonicalPath(_ rawPath: String) -> String {
        let path = rawPath.isEmpty ? "/" : rawPath
        return percentEncode(path, keepSlash: true)
    }

    /// Parameters decoded, re-encoded (RFC 3986, upper-case hex), sorted by name then value;
    /// a parameter without `=` gets an empty value.
    static func canonicalQuery(_ rawQuery: String?) -> String {
        guard let rawQuery, !rawQuery.isEmpty else { return "" }
        let pairs = rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { item -> (String, String) in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecode(String(parts[0]))
            let value = parts.count > 1 ? percentDecode(String(parts[1])) : ""
            return (percentEncode(name, keepSlash: false), percentEncode(value, keepSlash: false))
        }
        return pairs.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Leading and trailing space removed, inner runs of spaces collapsed to one.
    static func canonicalHeaderValue(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    private static func percentEncode(_ text: String, keepSlash: Bool) -> String {
        var encoded = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            let unreserved = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
            if unreserved || (keepSlash && byte == 0x2F) {
                encoded.unicodeScalars.append(scalar)
            } else {
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }

    private static func percentDecode(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }

    private static func hex(_ data: Data) -> String {
        data.map { String(format: "%02x", $0) }.joined()
    }
}
