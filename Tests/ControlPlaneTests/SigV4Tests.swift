import Foundation
import Testing

@testable import ControlPlane

/// Signature Version 4 against published and botocore-computed vectors, and each way a header
/// can be wrong.
@Suite("Signature Version 4")
struct SigV4Tests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let signedAt = SigV4Verifier.parseAmzDate("20150830T123600Z")!

    static func request(_ authorization: String?, date: String? = "20150830T123600Z") -> SigV4Request {
        var headers: [(name: String, value: String)] = [("host", "example.amazonaws.com")]
        if let date { headers.append(("x-amz-date", date)) }
        if let authorization { headers.append(("authorization", authorization)) }
        return SigV4Request(method: "GET", rawPath: "/", rawQuery: nil, headers: headers, payload: Data())
    }

    static let vanilla = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"

    func verify(_ request: SigV4Request, now: Date = SigV4Tests.signedAt, region: String = "us-east-1", services: Set<String> = ["service"]) throws -> String {
        try SigV4Verifier(region: region).verify(request, services: services, now: now) { $0 == "AKIDEXAMPLE" ? Self.secret : nil }
    }

    func failure(_ request: SigV4Request, now: Date = SigV4Tests.signedAt, region: String = "us-east-1", services: Set<String> = ["service"]) -> SigV4Failure? {
        do {
            _ = try verify(request, now: now, region: region, services: services)
            return nil
        } catch let failure as SigV4Failure {
            return failure
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func awsGetVanillaVectorVerifies() throws {
        #expect(try verify(Self.request(Self.vanilla)) == "AKIDEXAMPLE")
    }

    /// Computed by botocore's SigV4Auth: a POST with a body, a target header and a query whose
    /// path needs encoding twice.
    @Test func botocorePostVectorVerifies() throws {
        let request = SigV4Request(
            method: "POST", rawPath: "/v1/a%20b/x", rawQuery: "b=2&a=1&c",
            headers: [
                ("host", "127.0.0.1:8080"), ("x-amz-target", "NetworkFirewall_20201112.ListRuleGroups"),
                ("content-type", "application/x-amz-json-1.0"), ("x-amz-date", "20150830T123600Z"),
                ("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=1203fee50a26199a3906c64b9245171fb1ff1d78c5ade4850fae703811c18b85"),
            ],
            payload: Data(#"{"x":1}"#.utf8)
        )
        #expect(try verify(request) == "AKIDEXAMPLE")
        var altered = request
        altered.payload = Data(#"{"x":2}"#.utf8)
        #expect(failure(altered)?.code == .invalidSignature)
    }

    @Test func canonicalFormsMatchTheSpecification() {
        #expect(SigV4Canonicalization.canonicalPath("/v1/a%20b") == "/v1/a%2520b")
        #expect(SigV4Canonicalization.canonicalQuery("b=2&a=1&c") == "a=1&b=2&c=")
        #expect(SigV4Canonicalization.canonicalQuery("k=a%2Fb&k=A") == "k=A&k=a%2Fb")
        #expect(SigV4Canonicalization.canonicalHeaderValue("  a   b  c ") == "a b c")
    }

    @Test func missingHeaderIsMissingAuthenticationToken() {
        #expect(failure(Self.request(nil))?.code == .missingAuthenticationToken)
    }

    @Test(arguments: [
        "Bearer abc",
        "AWS4-HMAC-SHA1 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2015-08-30/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00f",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=x-amz-date;host, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    ])
    func malformedHeadersAreIncomplete(header: String) {
        #expect(failure(Self.request(header))?.code == .incompleteSignature, "\(header)")
    }

    @Test func missingOrMalformedDateIsIncomplete() {
        #expect(failure(Self.request(Self.vanilla, date: nil))?.code == .incompleteSignature)
        #expect(failure(Self.request(Self.vanilla, date: "2015-08-30T12:36:00Z"))?.code == .incompleteSignature)
    }

    @Test func unknownKeyIsUnrecognized() {
        let header = Self.vanilla.replacingOccurrences(of: "AKIDEXAMPLE", with: "AKIDOTHER")
        #expect(failure(Self.request(header))?.code == .unrecognizedClient)
    }

    @Test func clockSkewBeyondFifteenMinutesIsRefusedBothWays() throws {
        #expect(try verify(Self.request(Self.vanilla), now: Self.signedAt.addingTimeInterval(14 * 60)) == "AKIDEXAMPLE")
        #expect(try verify(Self.request(Self.vanilla), now: Self.signedAt.addingTimeInterval(-14 * 60)) == "AKIDEXAMPLE")
        #expect(failure(Self.request(Self.vanilla), now: Self.signedAt.addingTimeInterval(16 * 60))?.code == .invalidSignature)
        #expect(failure(Self.request(Self.vanilla), now: Self.signedAt.addingTimeInterval(-16 * 60))?.code == .invalidSignature)
    }

    @Test func scopeMustNameThisRegionAndAnAcceptedService() {
        #expect(failure(Self.request(Self.vanilla), region: "eu-west-1")?.code == .invalidSignature)
        #expect(failure(Self.request(Self.vanilla), services: ["network-firewall"])?.code == .invalidSignature)
    }

    @Test func scopeDateMustMatchTheRequestDate() {
        #expect(failure(Self.request(Self.vanilla, date: "20150831T123600Z"), now: SigV4Verifier.parseAmzDate("20150831T123600Z")!)?.code == .invalidSignature)
    }

    @Test func alteredSignatureOrHostIsInvalid() {
        let header = Self.vanilla.replacingOccurrences(of: "5fa00fa3", with: "5fa00fa4")
        #expect(failure(Self.request(header))?.code == .invalidSignature)
        var request = Self.request(Self.vanilla)
        request.headers[0].value = "other.example.com"
        #expect(failure(request)?.code == .invalidSignature)
    }

    @Test func contentHashMustMatchThePayload() {
        var request = Self.request(Self.vanilla)
        request.headers.append(("x-amz-content-sha256", String(repeating: "0", count: 64)))
        #expect(failure(request)?.code == .invalidSignature)
    }
}
