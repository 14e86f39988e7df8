-- Rampart control-plane schema, version 1.
-- Resources keep their AWS body as JSON (the member names are the AWS ones); the columns beside it
-- are what queries, uniqueness and references need.

CREATE TABLE certificates (
    id              TEXT PRIMARY KEY,            -- the UUID at the end of the ARN
    arn             TEXT NOT NULL UNIQUE,
    certificate_pem TEXT NOT NULL,
    chain_pem       TEXT,
    key_sealed      BLOB NOT NULL,               -- AES-GCM (nonce | ciphertext | tag) under the key-encryption key
    detail_json     TEXT NOT NULL,               -- CertificateDetail as parsed at import (InUseBy and Status are derived)
    tags_json       TEXT NOT NULL,
    created_at      REAL NOT NULL,
    imported_at     REAL NOT NULL
);

CREATE TABLE rule_groups (
    arn               TEXT PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    type              TEXT NOT NULL CHECK (type IN ('STATEFUL', 'STATELESS')),
    capacity          INTEGER NOT NULL CHECK (capacity > 0),
    consumed_capacity INTEGER NOT NULL,
    rule_group_json   TEXT NOT NULL,
    description       TEXT,
    tags_json         TEXT NOT NULL,
    update_token      TEXT NOT NULL,
    last_modified     REAL NOT NULL,
    UNIQUE (name, type)
);

CREATE TABLE firewall_policies (
    arn           TEXT PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL UNIQUE,
    policy_json   TEXT NOT NULL,
    description   TEXT,
    tags_json     TEXT NOT NULL,
    update_token  TEXT NOT NULL,
    last_modified REAL NOT NULL
);

CREATE TABLE tls_inspection_configurations (
    arn                TEXT PRIMARY KEY,
    id                 TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL UNIQUE,
    configuration_json TEXT NOT NULL,
    description        TEXT,
    tags_json          TEXT NOT NULL,
    update_token       TEXT NOT NULL,
    last_modified      REAL NOT NULL
);

CREATE TABLE firewalls (
    arn                      TEXT PRIMARY KEY,
    id                       TEXT NOT NULL UNIQUE,
    name                     TEXT NOT NULL UNIQUE,
    policy_arn               TEXT NOT NULL REFERENCES firewall_policies (arn),
    vpc_id                   TEXT,
    subnet_mappings_json     TEXT NOT NULL,
    delete_protection        INTEGER NOT NULL,
    subnet_change_protection INTEGER NOT NULL,
    policy_change_protection INTEGER NOT NULL,
    description              TEXT,
    tags_json                TEXT NOT NULL,
    update_token             TEXT NOT NULL,
    last_modified            REAL NOT NULL
);

-- Which resource uses which: policy → rule groups and TLS configuration, TLS configuration →
-- certificates, firewall → policy. Kept by the services on every write; drives InUseBy,
-- NumberOfAssociations, refused deletes and which firewalls to recompile.
CREATE TABLE resource_references (
    from_arn TEXT NOT NULL,
    to_arn   TEXT NOT NULL,
    PRIMARY KEY (from_arn, to_arn)
);
CREATE INDEX resource_references_to ON resource_references (to_arn);

-- The current snapshot identity per firewall. The body is recompiled from the resources (it holds
-- decrypted keys, which never rest on disk); only the version and digest are kept, so versions stay
-- monotonic across restarts.
CREATE TABLE snapshots (
    firewall_arn TEXT PRIMARY KEY,
    version      INTEGER NOT NULL,
    digest       TEXT NOT NULL,
    created_at   REAL NOT NULL
);
