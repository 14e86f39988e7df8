import Foundation
import HTTPTypes
import Shared

/// The ACM operations of the AWS front (`CertificateManager.<Operation>`). Certificates arrive as
/// base64 blobs and are decoded into the PEM text the certificate service takes.
struct CertificateManagerOperations: Sendable {
    let services: ResourceServices

    func table() -> AWSOperationTable {
        var table = AWSOperationTable()
        let service = CertificateService(services: services)
        let arns = services.arns
        table.on("ImportCertificate") { input in
            let blobs = try input.decode(ImportCertificateBlobs.self)
            return try await service.importCertificate(ImportCertificateRequest(
                Certificate: try Self.pem(blobs.Certificate, member: "Certificate"),
                PrivateKey: try Self.pem(blobs.PrivateKey, member: "PrivateKey"),
                CertificateChain: try blobs.CertificateChain.map { try Self.pem($0, member: "CertificateChain") },
                CertificateArn: blobs.CertificateArn, Tags: blobs.Tags
            ))
        }
        table.on("DescribeCertificate") { input in
            try service.describe(id: try Self.certificateId(input, arns))
        }
        table.on("GetCertificate") { input in
            try service.get(id: try Self.certificateId(input, arns))
        }
        table.on("DeleteCertificate") { input in
            try await service.delete(id: try Self.certificateId(input, arns))
            return EmptyOutput()
        }
        table.on("ListCertificates") { input in
            let request = try input.decode(ListCertificatesInput.self)
            let maxItems = try FieldValidation.pageSize(request.MaxItems, field: "MaxItems", range: 1...1000, default: 1000)
            return try service.list(maxItems: maxItems, nextToken: request.NextToken, filter: try request.filter())
        }
        table.on("AddTagsToCertificate") { input in
            let request = try input.decode(CertificateTagsRequest.self)
            try await service.addTags(id: try Self.certificateId(request.CertificateArn, arns), tags: request.Tags)
            return EmptyOutput()
        }
        table.on("RemoveTagsFromCertificate") { input in
            let request = try input.decode(CertificateTagsRequest.self)
            try await service.removeTags(id: try Self.certificateId(request.CertificateArn, arns), tags: request.Tags)
            return EmptyOutput()
        }
        table.on("ListTagsForCertificate") { input in
            try service.listTags(id: try Self.certificateId(input, arns))
        }
        return table
    }

    /// A blob member: base64 of the PEM bytes.
    private static func pem(_ base64: String, member: String) throws -> String {
        guard let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters), let text = String(data: data, encoding: .utf8) else {
            throw APIError(.validation, "\(member) must be the base64 encoding of PEM text", status: .badRequest)
        }
        return text
    }

    private static func certificateId(_ input: AWSInput, _ arns: ARNBuilder) throws -> String {
        try certificateId(try input.decode(CertificateArnInput.self).CertificateArn, arns)
    }

    /// A malformed ARN is an InvalidArnException; a well-formed one that is not here is not found.
    private static func certificateId(_ arn: String, _ arns: ARNBuilder) throws -> String {
        if let id = arns.certificateId(arn) { return id }
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 6, parts[0] == "arn", parts[2] == "acm", parts[5].hasPrefix("certificate/") {
            throw APIError.notFound("Certificate with arn \(arn) not found in account \(arns.account) and region \(arns.region)")
        }
        throw APIError(.invalidArn, "\(arn) is not a valid certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)", status: .badRequest)
    }
}

private struct CertificateArnInput: Decodable {
    var CertificateArn: String
}

/// ImportCertificate as it arrives: base64 blobs.
private struct ImportCertificateBlobs: Decodable {
    var Certificate: String
    var PrivateKey: String
    var CertificateChain: String?
    var CertificateArn: String?
    var Tags: [Tag]?
}

/// ListCertificates input; `Includes` members are camelCase, as in the model.
private struct ListCertificatesInput: Decodable {
    struct Filters: Decodable {
        var keyTypes: [String]?
    }

    var CertificateStatuses: [String]?
    var Includes: Filters?
    var MaxItems: Int?
    var NextToken: String?

    func filter() throws -> CertificateListFilter {
        let keyTypes = Includes?.keyTypes ?? Array(CertificateListFilter.acmDefaultKeyTypes)
        if let unknown = keyTypes.first(where: { !CertificateListFilter.knownKeyTypes.contains($0) }) {
            throw APIError.invalidParameter("Includes.keyTypes", "must be key algorithms such as RSA_2048 or EC_prime256v1", value: unknown, context: "Includes.keyTypes")
        }
        return CertificateListFilter(statuses: CertificateStatuses.map(Set.init), keyTypes: Set(keyTypes))
    }
}
