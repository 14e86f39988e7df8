/// UpdateLoggingConfiguration input (the firewall is located separately); an absent
/// `LoggingConfiguration` turns logging off.
public struct UpdateLoggingConfigurationRequest: Codable, Sendable {
    public var LoggingConfiguration: LoggingConfiguration?
    public var EnableMonitoringDashboard: Bool?

    public init(LoggingConfiguration: LoggingConfiguration?, EnableMonitoringDashboard: Bool? = nil) {
        self.LoggingConfiguration = LoggingConfiguration
        self.EnableMonitoringDashboard = EnableMonitoringDashboard
    }
}

/// Output of UpdateLoggingConfiguration and DescribeLoggingConfiguration (which omits the name).
public struct LoggingConfigurationOutput: Codable, Sendable {
    public var FirewallArn: String
    public var FirewallName: String?
    public var LoggingConfiguration: LoggingConfiguration?
    public var EnableMonitoringDashboard: Bool

    public init(FirewallArn: String, FirewallName: String?, LoggingConfiguration: LoggingConfiguration?, EnableMonitoringDashboard: Bool) {
        self.FirewallArn = FirewallArn
        self.FirewallName = FirewallName
        self.LoggingConfiguration = LoggingConfiguration
        self.EnableMonitoringDashboard = EnableMonitoringDashboard
    }
}
