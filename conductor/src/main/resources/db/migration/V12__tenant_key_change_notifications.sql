-- A change that decides whether an API key authenticates (its hash, the tenant's status, plan or
-- name) is announced on channel tenant_key_changed, on commit, to every conductor replica, so each
-- evicts the tenant from its key cache. Payload: '<tenant id>:<transaction id>'; the transaction id
-- lets the writer match the replicas' acknowledgements (channel tenant_key_evicted) to its change.
CREATE FUNCTION tenants_notify_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tenant_key_changed', OLD.id::text || ':' || txid_current()::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER tenants_key_changed AFTER UPDATE ON tenants FOR EACH ROW
    WHEN (OLD.api_key_hash IS DISTINCT FROM NEW.api_key_hash
          OR OLD.status IS DISTINCT FROM NEW.status
          OR OLD.plan IS DISTINCT FROM NEW.plan
          OR OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION tenants_notify_key_changed();
CREATE TRIGGER tenants_key_deleted AFTER DELETE ON tenants FOR EACH ROW
    EXECUTE FUNCTION tenants_notify_key_changed();
