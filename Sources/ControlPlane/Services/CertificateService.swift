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

    func list(maxItems: Int, nextToken: String?) throws -> ListCertificatesOutput {
        let after = try PageToken.key(from: nextToken)
        return try services.store.read { db in
            let (shown, next) = PageToken.split(try CertificateRecord.page(db, after: after, limit: maxItems + 1), limit: maxItems, key: \.arn)
            return ListCertificatesOutput(
                NextToken: next,
                CertificateSummaryList: try shown.map { CertificateSummary(detail: try detail(db, $0)) }
            )
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
