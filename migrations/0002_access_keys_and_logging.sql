-- Access keys for Signature Version 4: the secret is sealed by the key vault (AES-GCM, bound to
-- the key id) because verifying a signature needs it back; it is shown once, at creation.
CREATE TABLE access_keys (
    id            TEXT PRIMARY KEY,
    secret_sealed BLOB NOT NULL,
    created_at    REAL NOT NULL
);

-- A firewall's LoggingConfiguration (JSON of the AWS shape; NULL = logging off) and its
-- EnableMonitoringDashboard flag.
ALTER TABLE firewalls ADD COLUMN logging_json TEXT;
ALTER TABLE firewalls ADD COLUMN monitoring_dashboard INTEGER NOT NULL DEFAULT 0;
