/// CreateTLSInspectionConfiguration input.
public struct CreateTLSInspectionConfigurationRequest: Codable, Sendable {
    public var TLSInspectionConfigurationName: String
    public var TLSInspectionConfiguration: TLSInspectionConfiguration
    public var Description: String?
    public var Tags: [Tag]?

    public init(TLSInspectionConfigurationName: String, TLSInspectionConfiguration: TLSInspectionConfiguration, Description: String? = nil, Tags: [Tag]? = nil) {
        self.TLSInspectionConfigurationName = TLSInspectionConfigurationName
        self.TLSInspectionConfiguration = TLSInspectionConfiguration
        self.Description = Description
        self.Tags = Tags
    }
}

/// UpdateTLSInspectionConfiguration input (the configuration is named by the path).
public struct UpdateTLSInspectionConfigurationRequest: Codable, Sendable {
    public var UpdateToken: String
    public var TLSInspectionConfiguration: TLSInspectionConfiguration
    public var Description: String?

    public init(UpdateToken: String, TLSInspectionConfiguration: TLSInspectionConfiguration, Description: String? = nil) {
        self.UpdateToken = UpdateToken
        self.TLSInspectionConfiguration = TLSInspectionConfiguration
        self.Description = Description
    }
}

/// Output of Create, Update and Describe TLSInspectionConfiguration.
public struct TLSInspectionConfigurationOutput: Codable, Sendable {
    public var UpdateToken: String
    public var TLSInspectionConfiguration: TLSInspectionConfiguration?
    public var TLSInspectionConfigurationResponse: TLSInspectionConfigurationResponse

    public init(UpdateToken: String, TLSInspectionConfiguration: TLSInspectionConfiguration?, TLSInspectionConfigurationResponse: TLSInspectionConfigurationResponse) {
        self.UpdateToken = UpdateToken
        self.TLSInspectionConfiguration = TLSInspectionConfiguration
        self.TLSInspectionConfigurationResponse = TLSInspectionConfigurationResponse
    }
}

/// DeleteTLSInspectionConfiguration output.
public struct DeleteTLSInspectionConfigurationOutput: Codable, Sendable {
    public var TLSInspectionConfigurationResponse: TLSInspectionConfigurationResponse

    public init(TLSInspectionConfigurationResponse: TLSInspectionConfigurationResponse) {
        self.TLSInspectionConfigurationResponse = TLSInspectionConfigurationResponse
    }
}

/// ListTLSInspectionConfigurations output.
public struct ListTLSInspectionConfigurationsOutput: Codable, Sendable {
    public var NextToken: String?
    public var TLSInspectionConfigurations: [ResourceSummary]

    public init(NextToken: String?, TLSInspectionConfigurations: [ResourceSummary]) {
        self.NextToken = NextToken
        self.TLSInspectionConfigurations = TLSInspectionConfigurations
    }
}
