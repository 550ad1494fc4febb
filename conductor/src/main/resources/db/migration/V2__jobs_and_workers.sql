CREATE TABLE workers (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid        NOT NULL REFERENCES tenants (id),
    -- '' is the tenant's default pool: jobs without an affinity key.
    affinity_key       text        NOT NULL,
    state              text        NOT NULL,
    capacity           integer     NOT NULL,
    -- Bumped by every dispatch and every return to idle; a teardown message only acts on its own.
    generation         bigint      NOT NULL DEFAULT 0,
    runtime_ref        text,
    teardown_token     text,
    started_at         timestamptz NOT NULL,
    last_activity_at   timestamptz NOT NULL,
    last_heartbeat_at  timestamptz,
    stopped_at         timestamptz,
    stop_reason        text
);
CREATE INDEX workers_live ON workers (tenant_id, affinity_key)
    WHERE state IN ('STARTING', 'READY', 'DRAINING');

CREATE TABLE jobs (
    id               uuid PRIMARY KEY,
    tenant_id        uuid        NOT NULL REFERENCES tenants (id),
    type             text        NOT NULL,
    payload          text        NOT NULL,
    affinity_key     text        NOT NULL,
    idempotency_key  text,
    status           text        NOT NULL,
    -- Dispatches so far; the message id of a dispatch is id:attempts.
    attempts         integer     NOT NULL DEFAULT 0,
    max_attempts     integer     NOT NULL,
    timeout_ms       bigint      NOT NULL,
    worker_id        uuid,
    result           text,
    error            text,
    not_before       timestamptz,
    dispatched_at    timestamptz,
    created_at       timestamptz NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz,
    updated_at       timestamptz NOT NULL
);
CREATE UNIQUE INDEX jobs_idempotency ON jobs (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_queued ON jobs (tenant_id, created_at) WHERE status = 'QUEUED';
CREATE INDEX jobs_listing ON jobs (tenant_id, created_at DESC, id DESC);
CREATE INDEX jobs_in_flight ON jobs (worker_id) WHERE status IN ('DISPATCHED', 'RUNNING');
