-- Routing reads the oldest queued jobs of each placement, only as many as it can place.
CREATE INDEX jobs_queued_placement ON jobs (tenant_id, affinity_key, location, created_at)
    WHERE status = 'QUEUED';
