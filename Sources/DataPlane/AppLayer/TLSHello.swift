/// A parsed ClientHello (RFC 8446 section 4.1.2, RFC 5246 section 7.4.1.2): what JA3, `tls.sni` and
/// `tls.version` need.
struct TLSClientHello {
    var legacyVersion: UInt16
    var cipherSuites: [UInt16]
    /// Extension types in the order sent.
    var extensions: [UInt16]
    /// `supported_groups` (formerly `elliptic_curves`, type 10).
    var supportedGroups: [UInt16]
    /// `ec_point_formats` (type 11).
    var pointFormats: [UInt8]
    /// The first `host_name` of `server_name` (type 0).
    var serverName: [UInt8]?
    /// `supported_versions` (type 43).
    var supportedVersions: [UInt16]
    /// `application_layer_protocol_negotiation` (type 16): the protocols offered, in the client's order.
    var applicationProtocols: [String]

    /// Parses the handshake body (after the 4-byte handshake header). The fixed fields must be complete;
    /// a damaged extension block keeps the extensions read before the damage, as Suricata does.
    init?(_ body: [UInt8]) {
        var reader = ByteReader(body)
        guard let version = reader.u16(), reader.skip(32), let sessionID = reader.subU8(), sessionID.remaining <= 32,
              var suites = reader.subU16(), suites.remaining % 2 == 0, var compression = reader.subU8(),
              compression.remaining >= 1
        else { return nil }
        _ = compression.skip(compression.remaining)
        legacyVersion = version
        cipherSuites = []
        while let suite = suites.u16() { cipherSuites.append(suite) }
        extensions = []
        supportedGroups = []
        pointFormats = []
        serverName = nil
        supportedVersions = []
        applicationProtocols = []
        guard var block = reader.subU16() else { return }
        while let type = block.u16(), var data = block.subU16() {
            extensions.append(type)
            switch type {
            case 16:
                if var list = data.subU16() {
                    while let name = list.subU8() { applicationProtocols.append(String(decoding: name.rest, as: UTF8.self)) }
                }
            case 0:
                if serverName == nil, var list = data.subU16() {
                    while let nameType = list.u8(), var name = list.subU16() {
                        if nameType == 0, name.remaining > 0 {
                            serverName = name.rest
                            break
                        }
                        _ = name.skip(name.remaining)
                    }
                }
            case 10:
                if var groups = data.subU16() {
                    while let group = groups.u16() { supportedGroups.append(group) }
                }
            case 11:
                if var formats = data.subU8() {
                    while let format = formats.u8() { pointFormats.append(format) }
                }
            case 43:
                if var versions = data.subU8() {
                    while let value = versions.u16() { supportedVersions.append(value) }
                }
            default:
                break
            }
        }
    }

    /// The version the client offers: the highest non-GREASE `supported_versions` entry when the
    /// extension is present (TLS 1.3 clients put 0x0303 in the legacy field), else the legacy version.
    var offeredVersion: UInt16 {
        supportedVersions.filter { !JA3.isGREASE($0) }.max() ?? legacyVersion
    }

    /// `SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats`.
    var ja3: JA3 {
        JA3(fields: [
            [Int(legacyVersion)], cipherSuites.filter { !JA3.isGREASE($0) }.map(Int.init),
            extensions.filter { !JA3.isGREASE($0) }.map(Int.init),
            supportedGroups.filter { !JA3.isGREASE($0) }.map(Int.init), pointFormats.map(Int.init),
        ])
    }
}

/// A parsed ServerHello: what JA3S and the negotiated version need.
struct TLSServerHello {
    var legacyVersion: UInt16
    var cipherSuite: UInt16
    var extensions: [UInt16]
    /// `supported_versions` (type 43): the version a TLS 1.3 server selected.
    var selectedVersion: UInt16?
    /// The random is the special value of a HelloRetryRequest (RFC 8446 section 4.1.3).
    var isHelloRetryRequest: Bool

    private static let helloRetryRandom: [UInt8] = [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ]

    init?(_ body: [UInt8]) {
        var reader = ByteReader(body)
        guard let version = reader.u16(), let random = reader.bytes(32), let sessionID = reader.subU8(),
              sessionID.remaining <= 32, let suite = reader.u16(), reader.u8() != nil
        else { return nil }
        legacyVersion = version
        cipherSuite = suite
        isHelloRetryRequest = random == Self.helloRetryRandom
        extensions = []
        selectedVersion = nil
        guard var block = reader.subU16() else { return }
        while let type = block.u16(), var data = block.subU16() {
            extensions.append(type)
            if type == 43, let selected = data.u16() { selectedVersion = selected }
        }
    }

    /// The negotiated version.
    var version: UInt16 { selectedVersion ?? legacyVersion }

    /// `SSLVersion,Cipher,SSLExtension`.
    var ja3s: JA3 {
        JA3(fields: [[Int(legacyVersion)], [Int(cipherSuite)], extensions.filter { !JA3.isGREASE($0) }.map(Int.init)])
    }
}
