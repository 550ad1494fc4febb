-- GET /v1/operations lists every tenant's operations newest first; without this it sorts them all.
CREATE INDEX operations_newest ON operations (created_at DESC, id DESC);
