import Foundation
import GRDB
import Shared

/// Create, Describe, Update, Delete and List TLSInspectionConfiguration.
struct TLSInspectionConfigurationService: Sendable {
    let services: ResourceServices

    func create(_ request: CreateTLSInspectionConfigurationRequest) async throws -> TLSInspectionConfigurationOutput {
        try FieldValidation.resourceName(request.TLSInspectionConfigurationName, field: "TLSInspectionConfigurationName")
        try FieldValidation.description(request.Description)
        try FieldValidation.tags(request.Tags)
        let arn = services.arns.tlsInspectionConfiguration(name: request.TLSInspectionConfigurationName)
        let record = TLSInspectionConfigurationRecord(
            arn: arn, id: ResourceServices.newToken(), name: request.TLSInspectionConfigurationName,
            body: request.TLSInspectionConfiguration, description: request.Description, tags: request.Tags ?? [],
            updateToken: ResourceServices.newToken(), lastModified: services.clock()
        )
        let arns = services.arns
        return try await services.write { db in
            if try TLSInspectionConfigurationRecord.fetch(db, .tlsInspectionConfigurations, arn: arn) != nil {
                throw APIError.invalidRequest("A TLS inspection configuration named \(request.TLSInspectionConfigurationName) already exists")
            }
            let certificates = try TLSInspectionValidation.validate(db, request.TLSInspectionConfiguration, arns: arns)
            try record.insert(db, .tlsInspectionConfigurations)
            try ResourceStore.setReferences(db, from: arn, to: certificates)
            return (TLSInspectionConfigurationOutput(UpdateToken: record.updateToken, TLSInspectionConfiguration: nil, TLSInspectionConfigurationResponse: try response(db, record)), [])
        }
    }

    func describe(name: String) throws -> TLSInspectionConfigurationOutput {
        try services.store.read { db in
            let record = try fetch(db, name: name)
            return TLSInspectionConfigurationOutput(UpdateToken: record.updateToken, TLSInspectionConfiguration: record.body, TLSInspectionConfigurationResponse: try response(db, record))
        }
    }

    func update(name: String, request: UpdateTLSInspectionConfigurationRequest) async throws -> TLSInspectionConfigurationOutput {
        try FieldValidation.description(request.Description)
        let arns = services.arns
        let now = services.clock()
        return try await services.write { db in
            var record = try fetch(db, name: name)
            guard record.updateToken == request.UpdateToken else { throw APIError.staleToken("TLS inspection configuration \(name)") }
            let certificates = try TLSInspectionValidation.validate(db, request.TLSInspectionConfiguration, arns: arns)
            record.body = request.TLSInspectionConfiguration
            if let description = request.Description { record.description = description }
            record.updateToken = ResourceServices.newToken()
            record.lastModified = now
            try record.update(db, .tlsInspectionConfigurations)
            try ResourceStore.setReferences(db, from: record.arn, to: certificates)
            return (TLSInspectionConfigurationOutput(UpdateToken: record.updateToken, TLSInspectionConfiguration: record.body, TLSInspectionConfigurationResponse: try response(db, record)), [record.arn])
        }
    }

    func delete(name: String) async throws -> DeleteTLSInspectionConfigurationOutput {
        try await services.write { db in
            let record = try fetch(db, name: name)
            let users = try ResourceStore.referrers(db, of: record.arn)
            if !users.isEmpty {
                throw APIError.invalidOperation("TLS inspection configuration \(name) is in use by \(users.joined(separator: ", "))")
            }
            var gone = try response(db, record)
            gone.TLSInspectionConfigurationStatus = .DELETING
            try TLSInspectionConfigurationRecord.delete(db, .tlsInspectionConfigurations, arn: record.arn)
            try ResourceStore.setReferences(db, from: record.arn, to: [])
            return (DeleteTLSInspectionConfigurationOutput(TLSInspectionConfigurationResponse: gone), [])
        }
    }

    func list(maxResults: Int, nextToken: String?) throws -> ListTLSInspectionConfigurationsOutput {
        let after = try PageToken.key(from: nextToken)
        return try services.store.read { db in
            let (shown, next) = PageToken.split(try TLSInspectionConfigurationRecord.page(db, .tlsInspectionConfigurations, after: after, limit: maxResults + 1), limit: maxResults, key: \.name)
            return ListTLSInspectionConfigurationsOutput(
                NextToken: next,
                TLSInspectionConfigurations: shown.map { ResourceSummary(Name: $0.name, Arn: $0.arn) }
            )
        }
    }

    private func fetch(_ db: Database, name: String) throws -> TLSInspectionConfigurationRecord {
        guard let record = try TLSInspectionConfigurationRecord.fetch(db, .tlsInspectionConfigurations, name: name) else {
            throw APIError.notFound("No TLS inspection configuration named \(name) exists")
        }
        return record
    }

    /// The response with the certificates resolved, as the service echoes them.
    private func response(_ db: Database, _ record: TLSInspectionConfigurationRecord) throws -> TLSInspectionConfigurationResponse {
        let entry = record.body.ServerCertificateConfigurations?.first
        func data(_ arn: String) throws -> TlsCertificateData {
            let certificate = try CertificateRecord.fetch(db, arn: arn)
            return TlsCertificateData(CertificateArn: arn, CertificateSerial: certificate?.detail.Serial, Status: certificate.map { CertificateStatus.current($0.detail, now: services.clock()) } ?? "NOT_FOUND", StatusMessage: nil)
        }
        return TLSInspectionConfigurationResponse(
            TLSInspectionConfigurationArn: record.arn, TLSInspectionConfigurationName: record.name,
            TLSInspectionConfigurationId: record.id, TLSInspectionConfigurationStatus: .ACTIVE,
            Description: record.description, Tags: record.tags, LastModifiedTime: record.lastModified,
            NumberOfAssociations: try ResourceStore.referrers(db, of: record.arn).count,
            Certificates: try (entry?.ServerCertificates ?? []).compactMap(\.ResourceArn).map(data),
            CertificateAuthority: try entry?.CertificateAuthorityArn.map(data)
        )
    }
}
