-- An operation's new event or change of status is announced on channel operation_changed (payload:
-- the operation's id), on commit, to every conductor replica: event streams wait for it instead of
-- polling.
CREATE FUNCTION operations_notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('operation_changed', NEW.operation_id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER operation_events_inserted AFTER INSERT ON operation_events FOR EACH ROW
    EXECUTE FUNCTION operations_notify_changed();

CREATE FUNCTION operations_notify_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('operation_changed', NEW.id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER operations_status_changed AFTER UPDATE OF status ON operations FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION operations_notify_status();
