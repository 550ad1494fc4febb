-- The worker's armed teardown: when it is due (NULL: none armed). Teardowns are re-armed, never
-- cancelled, so the cancel token goes; the generation now names the armed teardown.
ALTER TABLE workers DROP COLUMN teardown_token;
ALTER TABLE workers ADD COLUMN teardown_due_at timestamptz;
