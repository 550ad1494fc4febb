CREATE TABLE tenants (
    id             uuid PRIMARY KEY,
    name           text        NOT NULL,
    plan           text        NOT NULL,
    status         text        NOT NULL,
    api_key_hash   text,
    credential_id  text,
    error          text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
-- A name is taken while its tenant lives; DELETED tenants free it for reuse.
CREATE UNIQUE INDEX tenants_live_name ON tenants (name) WHERE status <> 'DELETED';
CREATE UNIQUE INDEX tenants_api_key_hash ON tenants (api_key_hash) WHERE api_key_hash IS NOT NULL;

CREATE TABLE tenant_resources (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    kind         text        NOT NULL,
    identifiers  jsonb       NOT NULL,
    -- AES-GCM ciphertext of the resource's secrets; never returned by the API.
    secrets      bytea,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, kind)
);

CREATE TABLE operations (
    id           uuid PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    kind         text        NOT NULL,
    status       text        NOT NULL,
    attempts     integer     NOT NULL DEFAULT 0,
    lease_owner  text,
    -- For QUEUED: not before; for RUNNING: the claim expires and another conductor may take over.
    lease_until  timestamptz,
    error        text,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX operations_claimable ON operations (created_at) WHERE status IN ('QUEUED', 'RUNNING');
CREATE INDEX operations_tenant ON operations (tenant_id, created_at);

CREATE TABLE operation_events (
    id            bigserial PRIMARY KEY,
    operation_id  uuid        NOT NULL REFERENCES operations (id),
    at            timestamptz NOT NULL,
    level         text        NOT NULL,
    message       text        NOT NULL
);
CREATE INDEX operation_events_operation ON operation_events (operation_id, id);
