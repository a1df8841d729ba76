-- The run list filters and sorts in SQL over every run: each common filter comes with an index in list order
-- (newest first), so the first page of a filtered list is an index range read, not a sort of the whole table.
CREATE INDEX runs_name ON runs (name);
CREATE INDEX runs_kind_created ON runs (kind, created_at DESC);
CREATE INDEX runs_status_created ON runs (status, created_at DESC);
CREATE INDEX runs_parent_created ON runs (parent_id, created_at DESC);
DROP INDEX runs_status;
DROP INDEX runs_parent;
