import Hummingbird
import Shared

extension Request {
    /// `MaxResults` (1...100, default 100) and `NextToken` of a list request.
    func pageParameters(maxField: String = "MaxResults", range: ClosedRange<Int> = 1...100) throws -> (max: Int, next: String?) {
        let query = uri.queryParameters
        let max = try FieldValidation.pageSize(query[Substring(maxField)].map(String.init), field: maxField, range: range, default: range.upperBound)
        return (max, query["NextToken"].map(String.init))
    }
}

extension Parameters {
    /// The `{type}` path segment of a rule-group route.
    func ruleGroupType() throws -> RuleGroupType {
        switch get("type") {
        case "stateful": return .STATEFUL
        case "stateless": return .STATELESS
        case let other: throw APIError.invalidParameter("Type", "must be stateful or stateless in the path", value: other ?? "", context: "path")
        }
    }

    /// A required path segment.
    func required(_ name: String) throws -> String {
        guard let value = get(name), !value.isEmpty else { throw APIError.invalidRequest("missing path parameter \(name)") }
        return value
    }
}
