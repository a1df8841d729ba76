-- Runs executed by cluster agents (BullMQ on Redis). Their events come back through one Redis stream per run,
-- possibly more than once (a main process that stops after storing an event and before acknowledging it reads
-- it again when it restarts): remote_cursor keeps, per run, the sequence number of the last stored event, in
-- the same transaction as the event itself, so a re-delivered event is skipped.
CREATE TABLE remote_cursor (
  run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL
) STRICT;

-- A run started again after its agent died is a new run that names the crashed one; never a replay into it.
ALTER TABLE runs ADD COLUMN retry_of TEXT REFERENCES runs(id) ON DELETE SET NULL;
