import Foundation
import HTTPTypes
import Shared

/// Which certificates ListCertificates shows: by status and by key type. ACM's default, when no
/// key types are asked for, is RSA_1024 and RSA_2048 only (reference §9).
struct CertificateListFilter: Sendable {
    /// Statuses to show; nil = every status.
    var statuses: Set<String>?
    /// Key types to show, in the filter spelling (`RSA_2048`, `EC_prime256v1`); nil = every type.
    var keyTypes: Set<String>?

    static let all = CertificateListFilter(statuses: nil, keyTypes: nil)
    static let acmDefaultKeyTypes: Set<String> = ["RSA_1024", "RSA_2048"]

    /// The key types ACM accepts in `Includes.keyTypes`.
    static let knownKeyTypes: Set<String> = [
        "RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1",
    ]

    func admits(_ detail: CertificateDetail) -> Bool {
        if let statuses, !statuses.contains(detail.Status) { return false }
        // Describe spells key algorithms with a hyphen (`RSA-2048`), filters with an underscore.
        if let keyTypes, !keyTypes.contains(detail.KeyAlgorithm.replacingOccurrences(of: "-", with: "_")) { return false }
        return true
    }
}
