-- The W3C traceparent of the request that submitted a job (null when tracing is off): the routing pass
-- that dispatches it later, on another thread or replica, continues that trace (docs/tracing.md).
ALTER TABLE jobs ADD COLUMN traceparent TEXT;
