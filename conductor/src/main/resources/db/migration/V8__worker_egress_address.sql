-- The address a worker's outbound traffic leaves from, where its runtime can tell (null: it cannot).
ALTER TABLE workers ADD COLUMN egress_address text;
