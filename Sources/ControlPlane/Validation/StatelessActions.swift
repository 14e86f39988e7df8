import Shared

/// The stateless action vocabulary: exactly one standard action per list, plus custom actions that
/// must be defined where the list is.
enum StatelessActions {
    static let standard: Set<String> = ["aws:pass", "aws:drop", "aws:forward_to_sfe"]

    static func validate(_ actions: [String], customActions: [CustomAction], field: String, context: String) throws {
        if actions.isEmpty {
            throw APIError.invalidParameter(field, "cannot be null or empty", context: context)
        }
        let standardCount = actions.filter(standard.contains).count
        if standardCount != 1 {
            throw APIError.invalidParameter(field, "must hold exactly one of aws:pass, aws:drop, aws:forward_to_sfe", value: actions.joined(separator: ", "), context: context)
        }
        let defined = Set(customActions.map(\.ActionName))
        for action in actions where !standard.contains(action) && !defined.contains(action) {
            throw APIError.invalidParameter("Actions", "is invalid: no custom action of this name is defined", value: action, context: context)
        }
    }

    static func validateCustomActions(_ customActions: [CustomAction], context: String) throws {
        var names = Set<String>()
        for (index, action) in customActions.enumerated() {
            let name = action.ActionName
            if name.isEmpty || name.count > 128 || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                throw APIError.invalidParameter("ActionName", "must be 1-128 letters and digits", value: name, context: "\(context)[\(index)].ActionName")
            }
            if !names.insert(name).inserted {
                throw APIError.invalidParameter("ActionName", "is duplicated", value: name, context: "\(context)[\(index)].ActionName")
            }
            guard let metric = action.ActionDefinition.PublishMetricAction, metric.Dimensions.count == 1 else {
                throw APIError.invalidParameter("PublishMetricAction", "must have exactly one dimension", context: "\(context)[\(index)].ActionDefinition")
            }
            let value = metric.Dimensions[0].Value
            if value.isEmpty || value.count > 128 || !value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_ ".contains($0)) }) {
                throw APIError.invalidParameter("Value", "must be 1-128 of A-Z a-z 0-9 - _ and space", value: value, context: "\(context)[\(index)].ActionDefinition.PublishMetricAction.Dimensions[0].Value")
            }
        }
    }
}
