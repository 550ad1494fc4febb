-- Each tenant's jobs that have not ended (QUEUED, DISPATCHED, RUNNING), kept by triggers in the
-- transaction that changes them, so the queued-jobs quota is a read of at most 16 rows per submit.
-- Split into shards by the writing connection (pg_backend_pid() % 16) so that connections changing
-- one tenant's jobs side by side do not queue on one row; the count is the sum of the shards (a
-- shard alone may be negative: a job counted in on one and out on another).
CREATE TABLE queued_job_counts (
    tenant_id  uuid    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    shard      integer NOT NULL,
    unfinished bigint  NOT NULL,
    PRIMARY KEY (tenant_id, shard)
);

INSERT INTO queued_job_counts (tenant_id, shard, unfinished)
SELECT tenant_id, 0, count(*) FROM jobs
 WHERE status IN ('QUEUED', 'DISPATCHED', 'RUNNING') GROUP BY tenant_id;

-- Once per statement, from its transition tables: one row written per tenant whose count changed
-- (none for a dispatch, QUEUED to DISPATCHED), in tenant order so two writers never deadlock.
CREATE FUNCTION queued_job_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO queued_job_counts AS c (tenant_id, shard, unfinished)
    SELECT tenant_id, pg_backend_pid() % 16, count(*) FROM new_jobs
     WHERE status IN ('QUEUED', 'DISPATCHED', 'RUNNING') GROUP BY tenant_id ORDER BY tenant_id
    ON CONFLICT (tenant_id, shard) DO UPDATE SET unfinished = c.unfinished + excluded.unfinished;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO queued_job_counts AS c (tenant_id, shard, unfinished)
    SELECT tenant_id, pg_backend_pid() % 16, sum(delta) FROM (
        SELECT tenant_id, 1 AS delta FROM new_jobs
         WHERE status IN ('QUEUED', 'DISPATCHED', 'RUNNING')
        UNION ALL
        SELECT tenant_id, -1 FROM old_jobs
         WHERE status IN ('QUEUED', 'DISPATCHED', 'RUNNING')) d
     GROUP BY tenant_id HAVING sum(delta) <> 0 ORDER BY tenant_id
    ON CONFLICT (tenant_id, shard) DO UPDATE SET unfinished = c.unfinished + excluded.unfinished;
  ELSE
    INSERT INTO queued_job_counts AS c (tenant_id, shard, unfinished)
    SELECT tenant_id, pg_backend_pid() % 16, -count(*) FROM old_jobs
     WHERE status IN ('QUEUED', 'DISPATCHED', 'RUNNING')
       AND tenant_id IN (SELECT id FROM tenants) GROUP BY tenant_id ORDER BY tenant_id
    ON CONFLICT (tenant_id, shard) DO UPDATE SET unfinished = c.unfinished + excluded.unfinished;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER jobs_counted_in AFTER INSERT ON jobs REFERENCING NEW TABLE AS new_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION queued_job_counts_apply();
CREATE TRIGGER jobs_counted_changed AFTER UPDATE ON jobs
    REFERENCING OLD TABLE AS old_jobs NEW TABLE AS new_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION queued_job_counts_apply();
CREATE TRIGGER jobs_counted_out AFTER DELETE ON jobs REFERENCING OLD TABLE AS old_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION queued_job_counts_apply();
