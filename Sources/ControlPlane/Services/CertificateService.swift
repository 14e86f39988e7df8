import HTTPTypes
import Foundation
import GRDB
import Shared

/// ImportCertificate (including re-import into an existing ARN), DescribeCertificate,
/// GetCertificate, ListCertificates and DeleteCertificate. The private key is sealed by the key
/// vault before it is stored and is never returned.
struct CertificateService: Sendable {
    let services: ResourceServices

    func importCertificate(_ request: ImportCertificateRequest) async throws -> ImportCertificateOutput {
        try FieldValidation.tags(request.Tags)
        if request.Certificate.utf8.count > 32_768 {
            throw APIError(.validation, "Certificate must be at most 32768 bytes", status: .badRequest)
        }
        if request.PrivateKey.utf8.count > 5_120 {
            throw APIError(.validation, "PrivateKey must be at most 5120 bytes", status: .badRequest)
        }
        let now = services.clock()
        let imported = try ImportedCertificate(
            certificatePEM: request.Certificate, privateKeyPEM: request.PrivateKey,
            chainPEM: request.CertificateChain, now: Date(timeIntervalSince1970: now)
        )
        let arns = services.arns
        let vault = services.vault
        let arn: String
        let id: String
        if let existing = request.CertificateArn {
            guard let existingId = arns.certificateId(existing) else {
                throw APIError(.validation, "CertificateArn is not a certificate ARN of this region and account: \(existing)", status: .badRequest)
            }
            if request.Tags != nil {
                throw APIError(.validation, "Tags cannot be given when re-importing a certificate", status: .badRequest)
            }
            arn = existing
            id = existingId
        } else {
            id = UUID().uuidString.lowercased()
            arn = arns.certificate(id: id)
        }
        let sealed = try vault.seal(Data(request.PrivateKey.utf8), boundTo: arn)
        try await services.write { db in
            var createdAt = now
            var tags = request.Tags ?? []
            if request.CertificateArn != nil {
                guard let previous = try CertificateRecord.fetch(db, arn: arn) else {
                    throw APIError.notFound("Certificate with arn \(arn) not found")
                }
                if previous.detail.KeyAlgorithm != imported.keyAlgorithm {
                    throw APIError(.validation, "The key algorithm of a re-imported certificate must stay \(previous.detail.KeyAlgorithm)", status: .badRequest)
                }
                createdAt = previous.createdAt
                tags = previous.tags
            }
            let record = CertificateRecord(
                id: id, arn: arn, certificatePEM: try imported.certificatePEM(), chainPEM: try imported.chainPEM(),
                sealedKey: sealed, detail: try imported.detail(arn: arn, createdAt: createdAt, importedAt: now),
                tags: tags, createdAt: createdAt, importedAt: now
            )
            try record.save(db)
            return ((), [arn])
        }
        return ImportCertificateOutput(CertificateArn: arn)
    }

    func describe(id: String) throws -> DescribeCertificateOutput {
        try services.store.read { db in
            let record = try fetch(db, id: id)
            return DescribeCertificateOutput(Certificate: try detail(db, record))
        }
    }

    func get(id: String) throws -> GetCertificateOutput {
        try services.store.read { db in
            let record = try fetch(db, id: id)
            return GetCertificateOutput(Certificate: record.certificatePEM, CertificateChain: record.chainPEM)
        }
    }

    /// - Parameter filter: which certificates to show; the REST front shows all, the ACM front
    ///   applies ACM's default key-type filter.
    func list(maxItems: Int, nextToken: String?, filter: CertificateListFilter = .all) throws -> ListCertificatesOutput {
        let after = try PageToken.key(from: nextToken)
        return try services.store.read { db in
            var matching: [CertificateDetail] = []
            var cursor = after
            // Pages of the table until enough certificates pass the filter.
            while matching.count <= maxItems {
                let rows = try CertificateRecord.page(db, after: cursor, limit: 200)
                guard let last = rows.last else { break }
                cursor = last.arn
                matching += try rows.map { try detail(db, $0) }.filter(filter.admits)
            }
            let (shown, next) = PageToken.split(Array(matching.prefix(maxItems + 1)), limit: maxItems, key: \.CertificateArn)
            return ListCertificatesOutput(NextToken: next, CertificateSummaryList: shown.map(CertificateSummary.init(detail:)))
        }
    }

    func listTags(id: String) throws -> ListTagsForCertificateOutput {
        try services.store.read { db in ListTagsForCertificateOutput(Tags: try fetch(db, id: id).tags) }
    }

    /// ACM's AddTagsToCertificate: merged by key, at most 50 in all, no `aws:` keys.
    func addTags(id: String, tags: [Tag]) async throws {
        try Self.validateACMTags(tags)
        try await services.write { db in
            let record = try fetch(db, id: id)
            let merged = ResourceTags.merge(record.tags, tags)
            if merged.count > Self.maximumTags {
                throw APIError(.tooManyTags, "A certificate can have at most \(Self.maximumTags) tags; this would leave \(merged.count)", status: .badRequest)
            }
            try ResourceTags.write(db, .certificates, arn: record.arn, tags: merged)
            return ((), [])
        }
    }

    /// ACM's RemoveTagsFromCertificate: a tag given with a value is removed only when the value matches.
    func removeTags(id: String, tags: [Tag]) async throws {
        try Self.validateACMTags(tags)
        try await services.write { db in
            let record = try fetch(db, id: id)
            let remaining = record.tags.filter { stored in
                !tags.contains { $0.Key == stored.Key && ($0.Value == nil || $0.Value == stored.Value) }
            }
            try ResourceTags.write(db, .certificates, arn: record.arn, tags: remaining)
            return ((), [])
        }
    }

    static let maximumTags = 50

    private static func validateACMTags(_ tags: [Tag]) throws {
        guard (1...maximumTags).contains(tags.count) else {
            throw APIError(.invalidParameter, "Tags must hold 1 to \(maximumTags) tags, got \(tags.count)", status: .badRequest)
        }
        for (index, tag) in tags.enumerated() {
            if tag.Key.lowercased().hasPrefix("aws:") {
                throw APIError(.invalidTag, "Tags[\(index)].Key: keys starting with aws: are reserved, got \(tag.Key)", status: .badRequest)
            }
            if !(1...128).contains(tag.Key.count) || (tag.Value ?? "").count > 256 {
                throw APIError(.invalidTag, "Tags[\(index)]: keys must be 1-128 characters and values at most 256", status: .badRequest)
            }
        }
    }

    func delete(id: String) async throws {
        try await services.write { db in
            let record = try fetch(db, id: id)
            let users = try ResourceStore.referrers(db, of: record.arn)
            if !users.isEmpty {
                throw APIError(.resourceInUse, "Certificate \(record.arn) is in use by \(users.joined(separator: ", "))", status: .conflict)
            }
            try CertificateRecord.delete(db, arn: record.arn)
            return ((), [])
        }
    }

    private func fetch(_ db: Database, id: String) throws -> CertificateRecord {
        guard let record = try CertificateRecord.fetch(db, id: id.lowercased()) else {
            throw APIError.notFound("Certificate \(id) not found")
        }
        return record
    }

    private func detail(_ db: Database, _ record: CertificateRecord) throws -> CertificateDetail {
        var detail = record.detail
        detail.InUseBy = try ResourceStore.referrers(db, of: record.arn)
        detail.Status = CertificateStatus.current(detail, now: services.clock())
        return detail
    }
}
