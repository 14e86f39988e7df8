import Foundation
import HTTPTypes

/// The `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header,
/// parsed; anything malformed is an `IncompleteSignatureException` that says what is missing.
struct SigV4Authorization: Sendable, Equatable {
    var accessKeyId: String
    /// `yyyymmdd` of the credential scope.
    var date: String
    var region: String
    var service: String
    var signedHeaders: [String]
    var signature: String

    var scope: String { "\(date)/\(region)/\(service)/aws4_request" }

    init(header: String) throws(SigV4Failure) {
        let prefix = SigV4Canonicalization.algorithm + " "
        guard header.hasPrefix(prefix) else {
            let scheme = header.split(separator: " ").first.map(String.init) ?? ""
            throw .incomplete("Authorization header must use the \(SigV4Canonicalization.algorithm) algorithm, got \(scheme.isEmpty ? "nothing" : "'\(scheme)'")")
        }
        var parts: [String: String] = [:]
        for item in header.dropFirst(prefix.count).split(separator: ",") {
            let pair = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { throw .incomplete("Authorization header component '\(item.trimmingCharacters(in: .whitespaces))' is not name=value") }
            let name = String(pair[0])
            guard parts[name] == nil else { throw .incomplete("Authorization header repeats \(name)") }
            parts[name] = String(pair[1])
        }
        for required in ["Credential", "SignedHeaders", "Signature"] where (parts[required] ?? "").isEmpty {
            throw .incomplete("Authorization header requires a '\(required)' parameter")
        }
        let credential = parts["Credential"]!.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard credential.count == 5, credential.allSatisfy({ !$0.isEmpty }) else {
            throw .incomplete("Credential must have the form <access key id>/<yyyymmdd>/<region>/<service>/aws4_request, got '\(parts["Credential"]!)'")
        }
        guard credential[1].count == 8, credential[1].allSatisfy(\.isASCIIDigit) else {
            throw .incomplete("Credential scope date must be yyyymmdd, got '\(credential[1])'")
        }
        guard credential[4] == "aws4_request" else {
            throw .invalidSignature("Credential should be scoped with a valid terminator: 'aws4_request', not '\(credential[4])'")
        }
        let signature = parts["Signature"]!
        guard signature.count == 64, signature.allSatisfy(\.isHexDigit) else {
            throw .incomplete("Signature must be 64 hexadecimal characters")
        }
        let signedHeaders = parts["SignedHeaders"]!.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        guard signedHeaders.allSatisfy({ !$0.isEmpty && $0 == $0.lowercased() }), signedHeaders == signedHeaders.sorted() else {
            throw .incomplete("SignedHeaders must be lower-case header names, sorted and separated by ';'")
        }
        accessKeyId = credential[0]
        date = credential[1]
        region = credential[2]
        service = credential[3]
        self.signedHeaders = signedHeaders
        self.signature = signature
    }
}

/// Why a request's signature was refused, as AWS's common error codes.
enum SigV4Failure: Error, Equatable {
    /// No `Authorization` header at all.
    case missing(String)
    /// The header or the date is malformed or incomplete.
    case incomplete(String)
    /// The access key id is unknown or revoked.
    case unrecognizedClient(String)
    /// Well formed, but the signature does not verify, or the scope or time is wrong.
    case invalidSignature(String)

    var code: APIError.Code {
        switch self {
        case .missing: return .missingAuthenticationToken
        case .incomplete: return .incompleteSignature
        case .unrecognizedClient: return .unrecognizedClient
        case .invalidSignature: return .invalidSignature
        }
    }

    var message: String {
        switch self {
        case .missing(let text), .incomplete(let text), .unrecognizedClient(let text), .invalidSignature(let text): return text
        }
    }

    /// As the REST front answers it: 401 for a credential problem, 403 for a signature that does
    /// not verify. The AWS front sets its own statuses (``AWSJSONFront``).
    var apiError: APIError {
        switch self {
        case .invalidSignature: return APIError(code, message, status: .forbidden)
        default: return APIError(code, message, status: .unauthorized)
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
