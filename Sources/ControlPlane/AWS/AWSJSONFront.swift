import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `POST /`: the AWS JSON protocol front for the aws CLI and SDKs. `X-Amz-Target` names the
/// service and operation; every request must carry a valid Signature Version 4 scoped to that
/// service; the operations map onto the same services as the REST front. Responses and errors are
/// rendered here, in the service's own dialect, never by the REST error middleware.
struct AWSJSONFront {
    let signatures: SigV4Authenticator
    let networkFirewall: AWSOperationTable
    let certificateManager: AWSOperationTable

    init(services: ResourceServices, signatures: SigV4Authenticator) {
        self.signatures = signatures
        networkFirewall = NetworkFirewallOperations(services: services).table()
        certificateManager = CertificateManagerOperations(services: services).table()
    }

    func addRoutes<Context: RequestContext>(to routes: RouteTable<Context>) {
        routes.on(.post, "/") { request, context in
            await handle(request, logger: context.logger)
        }
    }

    func handle(_ request: Request, logger: Logger) async -> Response {
        let requestId = UUID().uuidString.lowercased()
        let target = request.headers[HTTPField.Name("X-Amz-Target")!] ?? ""
        let route = AWSService.route(target: target)
        let service = route?.service ?? .networkFirewall
        let contentType = Self.responseContentType(request: request, service: service)
        var request = request
        var payload = Data()
        do {
            let signingNames: Set<String> = route.map { [$0.service.signingName] } ?? SigV4Scopes.restServices
            do {
                payload = try await signatures.authenticate(&request, services: signingNames, requiredHeaders: ["x-amz-target"])
            } catch let failure as SigV4Failure {
                throw failure.apiError
            }
            guard let route else {
                throw APIError(.unsupportedOperation, target.isEmpty
                    ? "X-Amz-Target is required: NetworkFirewall_20201112.<Operation> or CertificateManager.<Operation>"
                    : "Operation \(target) is not supported by Rampart", status: .badRequest)
            }
            let table = route.service == .networkFirewall ? networkFirewall : certificateManager
            guard let handler = table.handler(for: route.operation) else {
                throw APIError(.unsupportedOperation, "\(route.service.displayName) operation \(route.operation) is not supported by Rampart", status: .badRequest)
            }
            let output = try await handler(AWSInput(data: payload))
            return Self.response(status: .ok, json: try ResponseJSON.encode(output), contentType: contentType, requestId: requestId)
        } catch let error as APIError {
            return Self.errorResponse(Self.dialect(error, service: service), service: service, contentType: contentType, requestId: requestId)
        } catch {
            logger.error("AWS front: unhandled error", metadata: ["target": "\(target)", "error": "\(String(describing: error))", "request_id": "\(requestId)"])
            let fault = APIError(.internalServerError, "internal error (request \(requestId))", status: .internalServerError)
            return Self.errorResponse(fault, service: service, contentType: contentType, requestId: requestId)
        }
    }

    // MARK: Rendering

    /// The content type of the request when it is one of the two AWS JSON versions, else the service's own.
    private static func responseContentType(request: Request, service: AWSService) -> String {
        let sent = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let sent, sent == AWSService.json10 || sent == AWSService.json11 { return sent }
        return service.contentType
    }

    /// Codes as each service spells them: ACM has no InvalidRequestException, its bad input is a ValidationException.
    private static func dialect(_ error: APIError, service: AWSService) -> APIError {
        guard service == .certificateManager, error.code == .invalidRequest else { return error }
        return APIError(.validation, error.message, status: error.status)
    }

    /// 400 for every client error (500 only for InternalServerError), except 403 for credentials
    /// that are missing, unknown or do not verify.
    private static func status(of error: APIError) -> HTTPResponse.Status {
        switch error.code {
        case .internalServerError: return .internalServerError
        case .missingAuthenticationToken, .unrecognizedClient, .invalidSignature: return .forbidden
        default: return .badRequest
        }
    }

    private static func errorResponse(_ error: APIError, service: AWSService, contentType: String, requestId: String) -> Response {
        let body = ["__type": error.code.rawValue, service.messageKey: error.message]
        let json = (try? ResponseJSON.encode(body)) ?? Data(#"{"__type":"InternalServerError"}"#.utf8)
        var response = response(status: status(of: error), json: json, contentType: contentType, requestId: requestId)
        response.headers[HTTPField.Name("X-Amzn-ErrorType")!] = error.code.rawValue
        return response
    }

    private static func response(status: HTTPResponse.Status, json: Data, contentType: String, requestId: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[HTTPField.Name("x-amzn-RequestId")!] = requestId
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }
}
