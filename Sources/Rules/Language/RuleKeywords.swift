/// The option keywords the parser knows, and those AWS Network Firewall refuses.
enum RuleKeywords {
    /// Keywords AWS Network Firewall does not support (reference §11.1): refused as `unsupportedKeyword`.
    static let unsupported: Set<String> = [
        "threshold", "detection_filter", "dataset", "datarep", "iprep", "lua", "luajit",
        "filestore", "filename", "fileext", "filemagic", "filemd5", "filesha1", "filesha256", "filesize",
        "file.name", "file.magic", "tag", "hostbits",
        "enip_command", "cip_service", "cip_attribute", "cip_class", "cip_instance", "cip_status", "cip_extendedstatus",
    ]

    /// Keyword prefixes of protocols AWS does not support (IKEv2).
    static let unsupportedPrefixes = ["ike.", "ikev2."]

    /// Whether the keyword (lower case) is one AWS refuses.
    static func isUnsupported(_ keyword: String) -> Bool {
        unsupported.contains(keyword) || unsupportedPrefixes.contains { keyword.hasPrefix($0) }
    }

    /// Suricata keywords AWS accepts that Rampart's engine does not implement: refused by name, so a rule
    /// never silently matches more than its author wrote.
    static let notImplemented: Set<String> = [
        "byte_jump", "byte_extract", "byte_math", "base64_decode", "base64_data", "stream_size", "flowint", "asn1",
        "http.header_names.raw", "frame", "ssh.proto", "ssh.software", "ssh_proto", "ssh_software", "ssh.hassh",
        "smb.share", "smb.named_pipe", "dce_iface", "dce_opnum", "dce_stub_data", "app-layer-event", "stream-event",
        "decode-event", "engine-event", "tls.store", "tls_store", "tls.certs", "tls.cert_chain_len", "tls.fingerprint",
        "tls_cert_notbefore", "tls_cert_notafter", "tls_cert_expired", "tls_cert_valid", "tls.cert_notbefore",
        "tls.cert_notafter", "tls.cert_expired", "tls.cert_valid", "urilen.raw", "icmp_id", "icmp_seq", "icmpv6.mtu",
        "fragbits", "fragoffset", "id", "ipopts", "tos", "tcp.mss", "tcp.hdr", "ipv4.hdr", "ipv6.hdr", "udp.hdr",
        "file.data.raw", "http.request_header", "http.response_header", "http2.header", "http.server_body",
        "ja4.hash", "quic.sni", "quic.version", "quic.ua", "quic.cyu.hash", "quic.cyu.string", "krb5_cname",
        "krb5_sname", "sip.method", "sip.uri", "snmp.community", "rfb.name", "mqtt.topic", "xbits", "replace",
        "luaxform", "to_md5", "to_sha1", "to_sha256", "url_decode", "pcrexform", "xor", "header_lowercase",
        "strip_pseudo_headers", "from_base64", "entropy", "requires", "config", "bypass", "tcp.mss", "tcp.wscale",
        "stream_size", "app-layer-state", "transform", "nfs_procedure", "rpc", "ftpbounce", "ftpdata_command",
    ]

    /// Sticky buffers (current and Suricata 5 spellings): the following payload keywords inspect this buffer.
    /// `file.data` / `file_data` are resolved by the rule's flow direction (request or response body).
    static let stickyBuffers: [String: InspectionBuffer] = {
        var table: [String: InspectionBuffer] = [:]
        for buffer in InspectionBuffer.allCases where buffer != .payload { table[buffer.rawValue] = buffer }
        let legacy: [String: InspectionBuffer] = [
            "tls_sni": .tlsSNI, "tls_cert_subject": .tlsCertSubject, "tls_cert_issuer": .tlsCertIssuer,
            "tls_cert_serial": .tlsCertSerial, "tls_cert_fingerprint": .tlsCertFingerprint, "ja3_hash": .ja3Hash,
            "ja3_string": .ja3String, "ja3s_hash": .ja3sHash, "ja3s_string": .ja3sString, "dns_query": .dnsQuery,
            "http_request_line": .httpRequestLine, "http_response_line": .httpResponseLine, "http_accept": .httpAccept,
            "http_accept_enc": .httpAcceptEncoding, "http_accept_lang": .httpAcceptLanguage, "http_referer": .httpReferer,
            "http_connection": .httpConnection, "http_content_type": .httpContentType, "http_content_len": .httpContentLength,
            "http_start": .httpStart, "http_protocol": .httpProtocol, "http_header_names": .httpHeaderNames,
            "http.request_header_names": .httpHeaderNames, "http.uri.normalized": .httpURI,
            "http.request_body.raw": .httpRequestBody, "http.server": .httpServer, "http.location": .httpLocation,
            "http.cookie.raw": .httpCookie,
        ]
        table.merge(legacy) { current, _ in current }
        table["pkt_data"] = .payload
        return table
    }()

    /// Legacy content modifiers: they move the content just before them into a buffer.
    static let contentModifiers: [String: InspectionBuffer] = [
        "http_uri": .httpURI, "http_raw_uri": .httpRawURI, "http_method": .httpMethod, "http_host": .httpHost,
        "http_raw_host": .httpRawHost, "http_user_agent": .httpUserAgent, "http_header": .httpHeader,
        "http_raw_header": .httpRawHeader, "http_cookie": .httpCookie, "http_stat_code": .httpStatusCode,
        "http_stat_msg": .httpStatusMessage, "http_client_body": .httpRequestBody, "http_server_body": .httpResponseBody,
    ]
}

