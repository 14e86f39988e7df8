/// Where a firewall's logs of one type go (`LogType` ALERT, FLOW or TLS).
public struct LogDestinationConfig: Codable, Hashable, Sendable {
    public var LogType: String
    public var LogDestinationType: String
    public var LogDestination: [String: String]

    public init(LogType: String, LogDestinationType: String, LogDestination: [String: String]) {
        self.LogType = LogType
        self.LogDestinationType = LogDestinationType
        self.LogDestination = LogDestination
    }
}

/// A firewall's logging: at most one destination per log type.
public struct LoggingConfiguration: Codable, Hashable, Sendable {
    public var LogDestinationConfigs: [LogDestinationConfig]

    public init(LogDestinationConfigs: [LogDestinationConfig]) {
        self.LogDestinationConfigs = LogDestinationConfigs
    }
}
