import Foundation
import GRDB
import Shared

/// CreateFirewall, DescribeFirewall, DeleteFirewall, ListFirewalls, AssociateFirewallPolicy and the
/// protection toggles. A firewall's status comes from the worker registry: `IN_SYNC` once every
/// worker bound to it acknowledged the current snapshot digest.
struct FirewallService: Sendable {
    let services: ResourceServices

    func create(_ request: CreateFirewallRequest) async throws -> FirewallOutput {
        try FieldValidation.resourceName(request.FirewallName, field: "FirewallName")
        try FieldValidation.description(request.Description)
        try FieldValidation.tags(request.Tags)
        if let vpc = request.VpcId, !(vpc.hasPrefix("vpc-") && vpc.dropFirst(4).allSatisfy(\.isHexDigit) && vpc.count > 4) {
            throw APIError.invalidParameter("VpcId", "must match ^vpc-[0-9a-f]+$", value: vpc, context: "VpcId")
        }
        let arn = services.arns.firewall(name: request.FirewallName)
        let record = FirewallRecord(
            arn: arn, id: ResourceServices.newToken(), name: request.FirewallName, policyArn: request.FirewallPolicyArn,
            vpcId: request.VpcId, subnetMappings: request.SubnetMappings ?? [],
            deleteProtection: request.DeleteProtection ?? false, subnetChangeProtection: request.SubnetChangeProtection ?? false,
            policyChangeProtection: request.FirewallPolicyChangeProtection ?? false, description: request.Description,
            tags: request.Tags ?? [], updateToken: ResourceServices.newToken(), lastModified: services.clock()
        )
        try await services.write { db in
            if try FirewallRecord.fetch(db, arn: arn) != nil {
                throw APIError.invalidRequest("A firewall named \(request.FirewallName) already exists")
            }
            try requirePolicy(db, arn: request.FirewallPolicyArn)
            try record.save(db)
            try ResourceStore.setReferences(db, from: arn, to: [request.FirewallPolicyArn])
            return ((), [arn])
        }
        return try await describe(name: request.FirewallName)
    }

    func describe(name: String) async throws -> FirewallOutput {
        let (record, digest, configTokens) = try services.store.read { db in
            let record = try fetch(db, name: name)
            let digest = try String.fetchOne(db, sql: "SELECT digest FROM snapshots WHERE firewall_arn = ?", arguments: [record.arn])
            return (record, digest, try configurationTokens(db, policyArn: record.policyArn))
        }
        let status = await status(of: record, digest: digest, configTokens: configTokens)
        return FirewallOutput(UpdateToken: record.updateToken, Firewall: record.firewall, FirewallStatus: status)
    }

    func delete(name: String) async throws -> FirewallOutput {
        let record = try await services.write { db in
            let record = try fetch(db, name: name)
            if record.deleteProtection {
                throw APIError.invalidOperation("Firewall \(name) has DeleteProtection enabled; turn it off first")
            }
            try FirewallRecord.delete(db, arn: record.arn)
            try ResourceStore.setReferences(db, from: record.arn, to: [])
            try SnapshotVersioning.remove(db, firewallArn: record.arn)
            return (record, [])
        }
        await services.registry.remove(firewallName: record.name)
        return FirewallOutput(UpdateToken: record.updateToken, Firewall: record.firewall, FirewallStatus: FirewallStatus(Status: .DELETING, ConfigurationSyncStateSummary: .PENDING, SyncStates: [:]))
    }

    /// - Parameter vpcIds: only firewalls in these VPCs, when given (ListFirewalls' `VpcIds`).
    func list(maxResults: Int, nextToken: String?, vpcIds: [String]? = nil) throws -> ListFirewallsOutput {
        let after = try PageToken.key(from: nextToken)
        return try services.store.read { db in
            let records: [FirewallRecord]
            if let vpcIds {
                records = Array(try FirewallRecord.all(db).filter { $0.name > (after ?? "") && $0.vpcId.map(vpcIds.contains) == true }.prefix(maxResults + 1))
            } else {
                records = try FirewallRecord.page(db, after: after, limit: maxResults + 1)
            }
            let (shown, next) = PageToken.split(records, limit: maxResults, key: \.name)
            return ListFirewallsOutput(
                NextToken: next,
                Firewalls: shown.map { FirewallMetadata(FirewallName: $0.name, FirewallArn: $0.arn) }
            )
        }
    }

    func associatePolicy(name: String, request: AssociateFirewallPolicyRequest) async throws -> AssociateFirewallPolicyOutput {
        let now = services.clock()
        return try await services.write { db in
            var record = try fetch(db, name: name)
            try checkToken(request.UpdateToken, record: record)
            if record.policyChangeProtection {
                throw APIError.invalidOperation("Firewall \(name) has FirewallPolicyChangeProtection enabled; turn it off first")
            }
            try requirePolicy(db, arn: request.FirewallPolicyArn)
            record.policyArn = request.FirewallPolicyArn
            record.updateToken = ResourceServices.newToken()
            record.lastModified = now
            try record.save(db)
            try ResourceStore.setReferences(db, from: record.arn, to: [record.policyArn])
            return (AssociateFirewallPolicyOutput(FirewallArn: record.arn, FirewallName: record.name, FirewallPolicyArn: record.policyArn, UpdateToken: record.updateToken), [record.arn])
        }
    }

    func updateDeleteProtection(name: String, request: UpdateFirewallDeleteProtectionRequest) async throws -> UpdateFirewallDeleteProtectionOutput {
        let record = try await updateFlags(name: name, token: request.UpdateToken) { $0.deleteProtection = request.DeleteProtection }
        return UpdateFirewallDeleteProtectionOutput(FirewallArn: record.arn, FirewallName: record.name, DeleteProtection: record.deleteProtection, UpdateToken: record.updateToken)
    }

    func updatePolicyChangeProtection(name: String, request: UpdateFirewallPolicyChangeProtectionRequest) async throws -> UpdateFirewallPolicyChangeProtectionOutput {
        let record = try await updateFlags(name: name, token: request.UpdateToken) { $0.policyChangeProtection = request.FirewallPolicyChangeProtection }
        return UpdateFirewallPolicyChangeProtectionOutput(FirewallArn: record.arn, FirewallName: record.name, FirewallPolicyChangeProtection: record.policyChangeProtection, UpdateToken: record.updateToken)
    }

    func updateDescription(name: String, request: UpdateFirewallDescriptionRequest) async throws -> UpdateFirewallDescriptionOutput {
        try FieldValidation.description(request.Description)
        let record = try await updateFlags(name: name, token: request.UpdateToken) { $0.description = request.Description }
        return UpdateFirewallDescriptionOutput(FirewallArn: record.arn, FirewallName: record.name, Description: record.description, UpdateToken: record.updateToken)
    }

    func describeLogging(name: String) throws -> LoggingConfigurationOutput {
        let record = try services.store.read { db in try fetch(db, name: name) }
        return LoggingConfigurationOutput(FirewallArn: record.arn, FirewallName: nil, LoggingConfiguration: record.logging, EnableMonitoringDashboard: record.monitoringDashboard)
    }

    /// One change per call against the stored configuration (reference §8): add one destination,
    /// remove one, or change one's `LogDestination`. The firewall's update token is not involved.
    func updateLogging(name: String, request: UpdateLoggingConfigurationRequest) async throws -> LoggingConfigurationOutput {
        let requested = request.LoggingConfiguration?.LogDestinationConfigs ?? []
        try LoggingValidation.validate(requested)
        let now = services.clock()
        return try await services.write { db in
            var record = try fetch(db, name: name)
            try LoggingValidation.checkOneChange(from: record.logging?.LogDestinationConfigs ?? [], to: requested)
            record.logging = requested.isEmpty ? nil : LoggingConfiguration(LogDestinationConfigs: requested)
            if let dashboard = request.EnableMonitoringDashboard { record.monitoringDashboard = dashboard }
            record.lastModified = now
            try record.save(db)
            let output = LoggingConfigurationOutput(FirewallArn: record.arn, FirewallName: record.name, LoggingConfiguration: record.logging, EnableMonitoringDashboard: record.monitoringDashboard)
            return (output, [])
        }
    }

    // MARK: Helpers

    private func updateFlags(name: String, token: String?, change: @escaping @Sendable (inout FirewallRecord) -> Void) async throws -> FirewallRecord {
        let now = services.clock()
        return try await services.write { db in
            var record = try fetch(db, name: name)
            try checkToken(token, record: record)
            change(&record)
            record.updateToken = ResourceServices.newToken()
            record.lastModified = now
            try record.save(db)
            return (record, [])
        }
    }

    /// Firewall tokens are optional (reference §2.2): omitted means unconditional.
    private func checkToken(_ token: String?, record: FirewallRecord) throws {
        if let token, token != record.updateToken { throw APIError.staleToken("firewall \(record.name)") }
    }

    private func fetch(_ db: Database, name: String) throws -> FirewallRecord {
        guard let record = try FirewallRecord.fetch(db, name: name) else { throw APIError.notFound("No firewall named \(name) exists") }
        return record
    }

    private func requirePolicy(_ db: Database, arn: String) throws {
        guard try FirewallPolicyRecord.fetch(db, .firewallPolicies, arn: arn) != nil else {
            throw APIError.invalidParameter("FirewallPolicyArn", "does not name an existing firewall policy", value: arn, context: "FirewallPolicyArn")
        }
    }

    /// The update token of the policy and of every rule group and TLS configuration it uses, by ARN.
    private func configurationTokens(_ db: Database, policyArn: String) throws -> [String: String] {
        guard let policy = try FirewallPolicyRecord.fetch(db, .firewallPolicies, arn: policyArn) else { return [:] }
        var tokens = [policy.arn: policy.updateToken]
        for arn in try String.fetchAll(db, sql: "SELECT to_arn FROM resource_references WHERE from_arn = ?", arguments: [policyArn]) {
            if let group = try RuleGroupRecord.fetch(db, arn: arn) {
                tokens[arn] = group.updateToken
            } else if let tls = try TLSInspectionConfigurationRecord.fetch(db, .tlsInspectionConfigurations, arn: arn) {
                tokens[arn] = tls.updateToken
            }
        }
        return tokens
    }

    private func status(of record: FirewallRecord, digest: String?, configTokens: [String: String]) async -> FirewallStatus {
        let workers = await services.registry.syncStates(firewallName: record.name, digest: digest)
        var syncStates: [String: SyncState] = [:]
        for (worker, inSync) in workers {
            let state = inSync ? "IN_SYNC" : "PENDING"
            syncStates[worker.WorkerId] = SyncState(
                Attachment: Attachment(SubnetId: nil, EndpointId: worker.WorkerId, Status: "READY", StatusMessage: worker.LastNackReason.map { "last snapshot refused: \($0)" }),
                Config: configTokens.mapValues { PerObjectSyncState(SyncStatus: state, UpdateToken: inSync ? $0 : nil) }
            )
        }
        let allInSync = !workers.isEmpty && workers.allSatisfy(\.inSync)
        return FirewallStatus(
            Status: allInSync ? .READY : .PROVISIONING,
            ConfigurationSyncStateSummary: allInSync ? .IN_SYNC : .PENDING,
            SyncStates: syncStates
        )
    }
}
