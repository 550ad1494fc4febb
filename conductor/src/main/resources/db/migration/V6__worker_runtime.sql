-- The runtime a worker runs on (process, docker, ...), so its stop and reconciliation go there.
-- NULL on rows from before: they ran on the conductor's default runtime (conductor.runtime.kind).
ALTER TABLE workers ADD COLUMN runtime text;
