-- Every running conductor process (a replica) and its lease, renewed while it lives; lease times
-- are the database's clock, so replicas on skewed clocks agree on who expired.
CREATE TABLE replicas (
    id           uuid PRIMARY KEY,
    host         text        NOT NULL,
    started_at   timestamptz NOT NULL,
    lease_until  timestamptz NOT NULL
);
-- The replica that launched the worker and alone judges its process; NULL on rows from before,
-- adopted by the first replica that reconciles.
ALTER TABLE workers ADD COLUMN owner_replica uuid;
CREATE INDEX workers_live_by_owner ON workers (owner_replica)
    WHERE state IN ('STARTING', 'READY', 'DRAINING');
