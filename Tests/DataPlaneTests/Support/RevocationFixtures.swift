import Foundation
import SwiftASN1
import Testing
import X509

/// The files of Fixtures/Revocation (made by its make-fixtures.sh) and the URLs its leaves name.
enum RevocationFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Revocation")
    static let ocspURL = "http://198.19.0.2:8888/ocsp"
    static let ecCRLURL = "http://198.19.0.2:8888/ec-ca.crl"
    static let rsaCRLURL = "http://198.19.0.2:8888/rsa-ca.crl"

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func certificate(_ name: String) throws -> Certificate {
        try certificate(file: directory.appendingPathComponent("\(name).pem"))
    }

    static func certificate(file: URL) throws -> Certificate {
        try Certificate(pemEncoded: String(decoding: try Data(contentsOf: file), as: UTF8.self))
    }

    /// When the fixtures were made: thisUpdate of every response and CRL.
    static func generatedAt() throws -> Date {
        let text = String(decoding: try bytes("generated-at.txt"), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return Date(timeIntervalSince1970: try #require(TimeInterval(text)))
    }
}
