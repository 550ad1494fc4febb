-- The plan an UPDATE operation moves its tenant to; a retry of the update reuses it.
ALTER TABLE operations ADD COLUMN plan text;
-- Set by POST /v1/operations/{id}/cancel while the operation runs; the conductor holding the lease
-- reads it on its next renewal and interrupts the provisioner.
ALTER TABLE operations ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false;
