-- Where a job must run and where a worker runs ('' is no location), so routing keeps them together.
ALTER TABLE jobs ADD COLUMN location text NOT NULL DEFAULT '';
ALTER TABLE workers ADD COLUMN location text NOT NULL DEFAULT '';
