-- Runs, their metric series, timing samples and artifacts (DESIGN.md "Data").
CREATE TABLE runs (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  name        TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'crashed')),
  config      TEXT NOT NULL,              -- JSON, validated against the kind's schema before insert
  seed        INTEGER NOT NULL,
  summary     TEXT,                       -- JSON
  backend     TEXT,                       -- JSON {name, ...} as reported by the worker
  host        TEXT,                       -- JSON {cpu, cores, node, platform}
  created_at  REAL NOT NULL,              -- ms since epoch
  started_at  REAL,
  ended_at    REAL,
  progress    REAL NOT NULL DEFAULT 0,
  progress_message TEXT NOT NULL DEFAULT '',
  error       TEXT,
  exit_info   TEXT,                       -- "code 3" / "signal SIGKILL" for crashed runs
  tags        TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
  notes       TEXT NOT NULL DEFAULT '',
  parent_id   TEXT REFERENCES runs (id) ON DELETE SET NULL,
  source      TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'imported'))
) STRICT;
CREATE INDEX runs_created ON runs (created_at DESC);
CREATE INDEX runs_status ON runs (status);
CREATE INDEX runs_parent ON runs (parent_id);

-- One row per (run, metric key): metric rows point at it by integer id, which keeps the hot table narrow.
CREATE TABLE series (
  id      INTEGER PRIMARY KEY,
  run_id  TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  key     TEXT NOT NULL,
  count   INTEGER NOT NULL DEFAULT 0,
  min_step INTEGER,
  max_step INTEGER,
  last_value REAL,
  UNIQUE (run_id, key)
) STRICT;

CREATE TABLE metrics (
  series_id INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  step      INTEGER NOT NULL,
  value     REAL,                         -- NULL: the value was not finite
  wall_time REAL NOT NULL,
  PRIMARY KEY (series_id, step)
) STRICT, WITHOUT ROWID;

-- Min/max pyramid kept at write time: level L buckets steps by width 64·4^L, so a chart of any range reads
-- at most ~maxPoints/2 bucket rows instead of scanning every raw row.
CREATE TABLE metric_buckets (
  series_id INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  level     INTEGER NOT NULL,
  bucket    INTEGER NOT NULL,
  count     INTEGER NOT NULL,
  min_value REAL,
  min_step  INTEGER,
  max_value REAL,
  max_step  INTEGER,
  PRIMARY KEY (series_id, level, bucket)
) STRICT, WITHOUT ROWID;

CREATE TABLE timings (
  run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  task       TEXT NOT NULL,
  dataset    TEXT NOT NULL,
  n          INTEGER NOT NULL,
  algorithm  TEXT NOT NULL,
  preprocess TEXT NOT NULL,
  seed       INTEGER NOT NULL,
  repeat     INTEGER NOT NULL,
  ms         REAL NOT NULL,
  quality    TEXT                         -- JSON {hull_error_pct, hausdorff, h, ...}
) STRICT;
CREATE INDEX timings_case ON timings (run_id, task, dataset, n, algorithm, preprocess, seed);

CREATE TABLE artifacts (
  run_id  TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  name    TEXT NOT NULL,
  mime    TEXT NOT NULL,
  bytes   BLOB NOT NULL,
  meta    TEXT NOT NULL DEFAULT '{}',
  created_at REAL NOT NULL,
  PRIMARY KEY (run_id, name)
) STRICT;

CREATE TABLE run_logs (
  id      INTEGER PRIMARY KEY,
  run_id  TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  level   TEXT NOT NULL,
  text    TEXT NOT NULL,
  time    REAL NOT NULL
) STRICT;
CREATE INDEX run_logs_run ON run_logs (run_id, id);
