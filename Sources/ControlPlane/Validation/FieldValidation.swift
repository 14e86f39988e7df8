import Foundation
import Shared

/// Checks shared by every resource: names, descriptions, tags, addresses and ports, in the AWS
/// message style (`<Field> <problem>, parameter: [<value>], context: <path>`).
enum FieldValidation {
    static func resourceName(_ name: String, field: String) throws {
        let valid = (1...128).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        if !valid {
            throw APIError.invalidParameter(field, "must be 1-128 characters of A-Z, a-z, 0-9 and -", value: name, context: field)
        }
    }

    static func description(_ text: String?) throws {
        if let text, text.count > 512 {
            throw APIError.invalidParameter("Description", "must be at most 512 characters", context: "Description")
        }
    }

    static func tags(_ tags: [Tag]?) throws {
        guard let tags else { return }
        if tags.isEmpty { throw APIError.invalidParameter("Tags", "must hold at least one tag when given", context: "Tags") }
        if tags.count > 200 { throw APIError.invalidParameter("Tags", "must hold at most 200 tags", value: "\(tags.count)", context: "Tags") }
        var seen = Set<String>()
        for (index, tag) in tags.enumerated() {
            if !(1...128).contains(tag.Key.count) {
                throw APIError.invalidParameter("Key", "must be 1-128 characters", value: tag.Key, context: "Tags[\(index)].Key")
            }
            if (tag.Value ?? "").count > 256 {
                throw APIError.invalidParameter("Value", "must be at most 256 characters", context: "Tags[\(index)].Value")
            }
            if !seen.insert(tag.Key).inserted {
                throw APIError.invalidParameter("Key", "is duplicated", value: tag.Key, context: "Tags[\(index)].Key")
            }
        }
    }

    static func addresses(_ addresses: [Address]?, context: String) throws {
        for (index, address) in (addresses ?? []).enumerated() where CIDR(address.AddressDefinition) == nil {
            throw APIError.invalidParameter("AddressDefinition", "is not a valid IPv4 or IPv6 CIDR", value: address.AddressDefinition, context: "\(context)[\(index)].AddressDefinition")
        }
    }

    static func portRanges(_ ranges: [PortRange]?, context: String) throws {
        for (index, range) in (ranges ?? []).enumerated() {
            guard (0...65535).contains(range.FromPort), (0...65535).contains(range.ToPort), range.FromPort <= range.ToPort else {
                throw APIError.invalidParameter("FromPort, ToPort", "is not within the bound", value: "\(range.FromPort):\(range.ToPort)", context: "\(context)[\(index)]")
            }
        }
    }

    static func protocols(_ protocols: [Int]?, context: String) throws {
        for (index, number) in (protocols ?? []).enumerated() where !(0...255).contains(number) {
            throw APIError.invalidParameter("Protocols", "must be IANA protocol numbers 0-255", value: "\(number)", context: "\(context)[\(index)]")
        }
    }

    /// A page size given as query text (REST).
    static func pageSize(_ value: String?, field: String, range: ClosedRange<Int>, default defaultValue: Int) throws -> Int {
        guard let value else { return defaultValue }
        guard let number = Int(value) else { throw pageSizeError(value, field: field, range: range) }
        return try pageSize(number, field: field, range: range, default: defaultValue)
    }

    /// A page size given as a JSON integer (AWS front).
    static func pageSize(_ value: Int?, field: String, range: ClosedRange<Int>, default defaultValue: Int) throws -> Int {
        guard let value else { return defaultValue }
        guard range.contains(value) else { throw pageSizeError("\(value)", field: field, range: range) }
        return value
    }

    private static func pageSizeError(_ value: String, field: String, range: ClosedRange<Int>) -> APIError {
        APIError.invalidParameter(field, "must be an integer from \(range.lowerBound) to \(range.upperBound)", value: value, context: field)
    }
}
