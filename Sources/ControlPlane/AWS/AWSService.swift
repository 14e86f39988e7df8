/// The two AWS services the JSON front speaks, with what differs between them on the wire
/// (reference/aws-api.md §1).
enum AWSService: Sendable {
    /// Network Firewall: awsJson1_0, errors carry `Message`.
    case networkFirewall
    /// ACM: awsJson1_1, errors carry `message`.
    case certificateManager

    /// The service whose target prefix `X-Amz-Target` starts with, and the operation name.
    static func route(target: String) -> (service: AWSService, operation: String)? {
        for service in [AWSService.networkFirewall, .certificateManager] where target.hasPrefix(service.targetPrefix) {
            return (service, String(target.dropFirst(service.targetPrefix.count)))
        }
        return nil
    }

    var targetPrefix: String {
        switch self {
        case .networkFirewall: "NetworkFirewall_20201112."
        case .certificateManager: "CertificateManager."
        }
    }

    /// The credential-scope service name.
    var signingName: String {
        switch self {
        case .networkFirewall: SigV4Scopes.networkFirewall
        case .certificateManager: SigV4Scopes.certificateManager
        }
    }

    var contentType: String {
        switch self {
        case .networkFirewall: AWSService.json10
        case .certificateManager: AWSService.json11
        }
    }

    /// The member of an error body that holds the text.
    var messageKey: String {
        switch self {
        case .networkFirewall: "Message"
        case .certificateManager: "message"
        }
    }

    var displayName: String {
        switch self {
        case .networkFirewall: "Network Firewall"
        case .certificateManager: "ACM"
        }
    }

    static let json10 = "application/x-amz-json-1.0"
    static let json11 = "application/x-amz-json-1.1"
}
