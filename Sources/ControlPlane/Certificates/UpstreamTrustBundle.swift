import Foundation
import SwiftASN1
import X509

/// The operator's bundle of CA certificates for upstream TLS verification (`rampart serve
/// --upstream-trust-bundle FILE`), checked when the control plane starts: a file that cannot be read or
/// holds anything but PEM certificates stops the start with an error naming the file and the problem.
struct UpstreamTrustBundle: Sendable {
    /// The certificates, re-encoded as PEM (comments and other text in the file dropped).
    let pem: String
    /// How many certificates.
    let count: Int

    static func load(path: String) throws -> UpstreamTrustBundle {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw UpstreamTrustBundleError(message: "cannot read the upstream trust bundle \(path): \(error.localizedDescription)")
        }
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: text)
        } catch {
            throw UpstreamTrustBundleError(message: "the upstream trust bundle \(path) is not PEM: \(error)")
        }
        guard !documents.isEmpty else {
            throw UpstreamTrustBundleError(message: "the upstream trust bundle \(path) holds no certificate")
        }
        var blocks: [String] = []
        for (index, document) in documents.enumerated() {
            guard document.discriminator == "CERTIFICATE" else {
                throw UpstreamTrustBundleError(
                    message: "the upstream trust bundle \(path): block \(index + 1) is \(document.discriminator), not CERTIFICATE"
                )
            }
            do {
                _ = try Certificate(derEncoded: document.derBytes)
            } catch {
                throw UpstreamTrustBundleError(message: "the upstream trust bundle \(path): certificate \(index + 1) does not parse: \(error)")
            }
            blocks.append(document.pemString)
        }
        return UpstreamTrustBundle(pem: blocks.joined(separator: "\n") + "\n", count: blocks.count)
    }
}

/// Why the upstream trust bundle was refused.
struct UpstreamTrustBundleError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
