public import Foundation
import Hummingbird
public import Logging
import ServiceLifecycle

/// How `rampart serve` runs.
public struct ControlPlaneConfiguration: Sendable {
    /// Holds `rampart.db`, `admin.token`, `master.key` and `rampart.sock`.
    public var stateDirectory: URL
    public var host: String
    public var port: Int
    public var identity: ControlPlaneIdentity
    /// The `migrations` folder; found next to the binary when nil.
    public var migrationsDirectory: String?
    /// A PEM file of certificates the TLS engine trusts for upstream servers besides the system store
    /// (`--upstream-trust-bundle`), carried in every snapshot with TLS inspection.
    public var upstreamTrustBundlePath: String?

    public init(
        stateDirectory: URL, host: String, port: Int, identity: ControlPlaneIdentity = ControlPlaneIdentity(),
        migrationsDirectory: String? = nil, upstreamTrustBundlePath: String? = nil
    ) {
        self.stateDirectory = stateDirectory
        self.host = host
        self.port = port
        self.identity = identity
        self.migrationsDirectory = migrationsDirectory
        self.upstreamTrustBundlePath = upstreamTrustBundlePath
    }

    /// The snapshot distribution socket.
    public var socketPath: String { stateDirectory.appendingPathComponent("rampart.sock").path }
}

/// The control plane: the REST API and the snapshot distributor in one service group, stopped in
/// reverse order on SIGTERM or SIGINT.
public enum ControlPlaneServer {
    public static func run(_ configuration: ControlPlaneConfiguration, logger: Logger) async throws {
        let directory = configuration.stateDirectory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let token = try AdminToken.load(stateDirectory: directory)
        let vault = try KeyVault.load(stateDirectory: directory)
        let store = try ResourceStore(
            path: directory.appendingPathComponent("rampart.db").path,
            migrations: try MigrationRunner.locate(override: configuration.migrationsDirectory)
        )
        let registry = WorkerRegistry(logger: logger)
        let bundle = try configuration.upstreamTrustBundlePath.map(UpstreamTrustBundle.load)
        var services = ResourceServices(
            store: store, vault: vault,
            arns: ARNBuilder(region: configuration.identity.region, account: configuration.identity.account),
            registry: registry, logger: logger, clock: { Date().timeIntervalSince1970 }
        )
        services.upstreamTrustBundlePEM = bundle?.pem
        try await services.publishAll()
        let api = RampartAPI(services: services, token: token)
        let distribution = DistributionService(socketPath: configuration.socketPath, registry: registry, logger: logger)
        let application = Application(
            router: api.router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "rampart"),
            services: [distribution],
            logger: logger
        )
        logger.info("control plane ready", metadata: ["listen": "\(configuration.host):\(configuration.port)", "state": "\(directory.path)"])
        try await application.runService()
    }
}

/// The REST API: routes, authentication and error mapping over the services.
struct RampartAPI {
    let router: Router<BasicRequestContext>
    let routes: [APIRoute]

    init(services: ResourceServices, token: AdminToken) {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        let signatures = SigV4Authenticator(
            verifier: SigV4Verifier(region: services.arns.region), keys: AccessKeyService(services: services),
            now: { Date(timeIntervalSince1970: services.clock()) }
        )
        router.add(middleware: AuthMiddleware(token: token, signatures: signatures))
        let table = RouteTable(router: router)
        AccessKeyController(service: signatures.keys).addRoutes(to: table)
        AWSJSONFront(services: services, signatures: signatures).addRoutes(to: table)
        SystemController(registry: services.registry).addRoutes(to: table)
        CertificateController(service: CertificateService(services: services)).addRoutes(to: table)
        RuleGroupController(service: RuleGroupService(services: services)).addRoutes(to: table)
        FirewallPolicyController(service: FirewallPolicyService(services: services)).addRoutes(to: table)
        TLSInspectionConfigurationController(service: TLSInspectionConfigurationService(services: services)).addRoutes(to: table)
        FirewallController(service: FirewallService(services: services)).addRoutes(to: table)
        self.router = router
        routes = table.routes
    }
}
