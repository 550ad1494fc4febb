-- The per-tenant quota counts the jobs that have not ended.
CREATE INDEX jobs_unfinished ON jobs (tenant_id) WHERE status IN ('QUEUED', 'DISPATCHED', 'RUNNING');
-- Retention finds ended jobs by age.
CREATE INDEX jobs_ended ON jobs (finished_at) WHERE status IN ('SUCCEEDED', 'FAILED', 'CANCELLED');

-- A job's end is announced on channel job_ended (payload: its id), on commit, to every conductor
-- replica: long-polls wait for it instead of polling.
CREATE FUNCTION jobs_notify_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('job_ended', NEW.id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER jobs_ended AFTER UPDATE OF status ON jobs FOR EACH ROW
    WHEN (NEW.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') AND OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION jobs_notify_ended();
