-- Named operator tokens (docs/security.md): only a SHA-256 hash of each token is kept. A revoked token
-- stays, so the audit log's names keep meaning; its name is free again for a new token.
CREATE TABLE operator_tokens (
    id           uuid PRIMARY KEY,
    name         text NOT NULL,
    role         text NOT NULL CHECK (role IN ('admin', 'operator', 'read-only')),
    token_hash   text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    created_by   text NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE UNIQUE INDEX operator_tokens_live_name ON operator_tokens (name) WHERE revoked_at IS NULL;

-- Who did what to which tenant: one row per state-changing operator request, refused ones too.
-- Never a request body.
CREATE TABLE audit_events (
    id         uuid PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor      text NOT NULL,
    role       text NOT NULL,
    action     text NOT NULL,
    method     text NOT NULL,
    path       text NOT NULL,
    tenant     text,
    status     integer NOT NULL,
    request_id text
);
CREATE INDEX audit_events_newest ON audit_events (at DESC, id DESC);
CREATE INDEX audit_events_tenant ON audit_events (tenant, at DESC, id DESC);
CREATE INDEX audit_events_actor ON audit_events (actor, at DESC, id DESC);
