import HTTPTypes
import Shared

/// The rules of a firewall's LoggingConfiguration (reference §7, §8): known log and destination
/// types, the destination keys each type needs, one entry per log type, and one change per call.
enum LoggingValidation {
    static let logTypes: Set<String> = ["ALERT", "FLOW", "TLS"]
    /// The `LogDestination` key each destination type needs.
    static let requiredKey: [String: String] = ["S3": "bucketName", "CloudWatchLogs": "logGroup", "KinesisDataFirehose": "deliveryStream"]

    static func validate(_ configs: [LogDestinationConfig]) throws {
        var seen = Set<String>()
        for (index, config) in configs.enumerated() {
            let context = "LoggingConfiguration.LogDestinationConfigs[\(index)]"
            guard logTypes.contains(config.LogType) else {
                throw APIError.invalidParameter("LogType", "must be ALERT, FLOW or TLS", value: config.LogType, context: "\(context).LogType")
            }
            guard let key = requiredKey[config.LogDestinationType] else {
                throw APIError.invalidParameter("LogDestinationType", "must be S3, CloudWatchLogs or KinesisDataFirehose", value: config.LogDestinationType, context: "\(context).LogDestinationType")
            }
            guard let value = config.LogDestination[key], !value.isEmpty else {
                throw APIError.invalidParameter("LogDestination", "must name \(key) for \(config.LogDestinationType)", context: "\(context).LogDestination")
            }
            for (name, value) in config.LogDestination where !(3...50).contains(name.count) || !(1...1024).contains(value.count) {
                throw APIError.invalidParameter("LogDestination", "keys must be 3-50 and values 1-1024 characters", value: name, context: "\(context).LogDestination")
            }
            guard seen.insert(config.LogType).inserted else {
                throw APIError.invalidParameter("LogType", "may appear only once", value: config.LogType, context: "\(context).LogType")
            }
        }
    }

    /// Exactly one destination added, removed or changed in place; the same configuration is no change and allowed.
    static func checkOneChange(from current: [LogDestinationConfig], to requested: [LogDestinationConfig]) throws {
        let before = Dictionary(uniqueKeysWithValues: current.map { ($0.LogType, $0) })
        let after = Dictionary(uniqueKeysWithValues: requested.map { ($0.LogType, $0) })
        var changes: [String] = []
        for (type, old) in before {
            guard let new = after[type] else { changes.append("remove \(type)"); continue }
            if new.LogDestinationType != old.LogDestinationType {
                throw APIError.invalidParameter(
                    "LogDestinationType", "of the \(type) destination cannot change from \(old.LogDestinationType); remove it in one call and add the new one in another",
                    value: new.LogDestinationType, context: "LoggingConfiguration.LogDestinationConfigs"
                )
            }
            if new.LogDestination != old.LogDestination { changes.append("change \(type)") }
        }
        for type in after.keys where before[type] == nil { changes.append("add \(type)") }
        if changes.count > 1 {
            throw APIError.invalidRequest("UpdateLoggingConfiguration makes one change per call, this one makes \(changes.count) (\(changes.sorted().joined(separator: ", "))); send them one at a time")
        }
    }
}
