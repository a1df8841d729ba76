-- Cross-process cancellation: any workbench process (the app, `der cancel`, the browser host) may ask for a
-- run to be cancelled; the process that owns the run's worker sees the request and cancels it.
ALTER TABLE runs ADD COLUMN cancel_requested_at REAL;  -- ms since epoch, NULL = not requested
