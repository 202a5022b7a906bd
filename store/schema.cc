#include "store/schema.h"

namespace parkwatch {

// Why the figures table looks the way it does:
// - Rules read years of weekly and monthly data for ~20k enterprises: ~12M current figures. They
//   load an indicator's figures once into memory and then follow batches incrementally, so the
//   store optimises for ingest and for one enterprise's series, not for ad-hoc SQL over periods.
// - The primary key (enterprise, indicator, cadence, period) is the order bureau files arrive in
//   (an enterprise's rows together) and the order the series API reads, so both touch few pages;
//   WITHOUT ROWID stores the row inside that one B-tree instead of a second table plus index.
// - Only the current value lives in figures; a revision moves the old value to figure_history.
//   Current reads never skip over history, and history costs nothing until values change.
// - checked_batch is the last batch that reported the figure, changed or not: it catches a
//   duplicate row inside one batch without holding the batch's keys in memory.
// - Periods are integers (Period::key) and cadence a one-letter code, so comparisons and range
//   scans are integer compares.
// - Times are unix seconds.
// Why the alert tables look the way they do (migration 2, alerts rebuilt in 11):
// - alerts holds one row per identity (rule + labels) that has ever been observed with data,
//   including inactive ones: an inactive row still carries the log of observations a revision
//   replays (migration 6), so the state machine never depends on memory that a restart loses.
// - alert_events is append-only history (the API's timeline, the monthly analysis's record).
// - notifications is the delivery outbox. Its row is written in the same transaction as the
//   state change and the event, so a crash either keeps all three or none: a notification is
//   never lost and never written twice. idempotency_key is UNIQUE so a replay cannot duplicate
//   one and receivers can deduplicate retries by it.
// Why delivery looks the way it does (migration 3):
// - A notification fans out to one deliveries row per receiver the routing tree picks, each with
//   its own attempts, backoff and state: a dead webhook must not hold back or re-send the mail.
//   UNIQUE (notification_id, receiver, seq) makes routing idempotent, so a crash between routing
//   and sending neither loses nor doubles a delivery; seq > 0 are repeats while still firing.
// - A delivery is marked delivered in its own transaction right after the receiver confirmed it,
//   so after a restart only unconfirmed ones are sent (at-least-once for the one message that was
//   in flight at the crash, exactly once for the rest).
// - Delivery times are unix milliseconds: backoff in tests and robot rate limits are sub-second.
// - silences and acknowledgements are small operator records, read whole.
const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "enterprises, indicators, batches, figures with revisions", R"sql(
CREATE TABLE enterprises (
  id               INTEGER PRIMARY KEY,
  credit_code      TEXT NOT NULL UNIQUE,   -- 统一社会信用代码, validated on the way in
  name             TEXT NOT NULL DEFAULT '',
  industry         TEXT NOT NULL DEFAULT '',
  is_key           INTEGER NOT NULL DEFAULT 0,
  above_size_since INTEGER,                -- first year as 规上 enterprise
  above_size_until INTEGER,                -- last year as 规上 enterprise
  created_batch    INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE TABLE indicators (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE batches (
  id                INTEGER PRIMARY KEY,
  source            TEXT NOT NULL,
  collector         TEXT NOT NULL,
  content_hash      TEXT NOT NULL,
  status            TEXT NOT NULL,         -- open | committed | partial | duplicate | rejected
  received_at       INTEGER NOT NULL,
  duration_seconds  REAL NOT NULL DEFAULT 0,
  rows_read         INTEGER NOT NULL DEFAULT 0,
  rows_accepted     INTEGER NOT NULL DEFAULT 0,
  figures_new       INTEGER NOT NULL DEFAULT 0,
  figures_revised   INTEGER NOT NULL DEFAULT 0,
  figures_unchanged INTEGER NOT NULL DEFAULT 0,
  enterprises_new   INTEGER NOT NULL DEFAULT 0,
  duplicate_of      INTEGER,
  error_count       INTEGER NOT NULL DEFAULT 0,
  errors            TEXT NOT NULL DEFAULT ''  -- one diagnostic per line, capped
);
CREATE INDEX batches_by_hash ON batches (content_hash, status);
CREATE TABLE figures (
  enterprise_id INTEGER NOT NULL,
  indicator_id  INTEGER NOT NULL,
  cadence       TEXT NOT NULL,              -- W | M
  period        INTEGER NOT NULL,           -- Period::key()
  value         REAL NOT NULL,              -- base unit: yuan, kWh, count, ratio
  revision      INTEGER NOT NULL,           -- 1 for the first value
  batch_id      INTEGER NOT NULL,           -- batch that set this value
  checked_batch INTEGER NOT NULL,           -- last batch that reported it
  PRIMARY KEY (enterprise_id, indicator_id, cadence, period)
) WITHOUT ROWID;
CREATE TABLE figure_history (
  enterprise_id INTEGER NOT NULL,
  indicator_id  INTEGER NOT NULL,
  cadence       TEXT NOT NULL,
  period        INTEGER NOT NULL,
  revision      INTEGER NOT NULL,
  value         REAL NOT NULL,
  batch_id      INTEGER NOT NULL,
  PRIMARY KEY (enterprise_id, indicator_id, cadence, period, revision)
) WITHOUT ROWID;
)sql"},
      {2, "alerts, alert_events, notifications outbox", R"sql(
CREATE TABLE alerts (
  fingerprint         TEXT PRIMARY KEY,      -- Fingerprint(rule, labels), hex
  rule                TEXT NOT NULL,
  labels              TEXT NOT NULL,         -- JSON object, keys sorted
  cadence             TEXT NOT NULL,         -- W | M, of the periods below
  state               TEXT NOT NULL,         -- inactive | pending | firing
  severity            TEXT NOT NULL,         -- none | blue | yellow | orange | red
  breach_count        INTEGER NOT NULL,
  clear_count         INTEGER NOT NULL,
  first_breach_period INTEGER,               -- Period::key(); NULL when not set
  active_since_period INTEGER,
  last_period         INTEGER,
  value               REAL,
  value_at_firing     REAL,
  fired_at            INTEGER NOT NULL,      -- unix seconds; 0 = never
  resolved_at         INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  annotations         TEXT NOT NULL,         -- JSON object
  before_last         TEXT                   -- JSON: status before last_period, for revisions
) WITHOUT ROWID;
CREATE INDEX alerts_by_state ON alerts (state, severity);
CREATE TABLE alert_events (
  id              INTEGER PRIMARY KEY,
  fingerprint     TEXT NOT NULL,
  rule            TEXT NOT NULL,
  labels          TEXT NOT NULL,
  kind            TEXT NOT NULL,             -- pending | firing | escalated | deescalated | resolved
  severity        TEXT NOT NULL,
  previous        TEXT NOT NULL,
  cadence         TEXT NOT NULL,
  period          INTEGER NOT NULL,
  active_since    INTEGER,
  value           REAL,
  value_at_firing REAL,
  fired_at        INTEGER NOT NULL,
  at              INTEGER NOT NULL,
  annotations     TEXT NOT NULL
);
CREATE INDEX alert_events_by_fingerprint ON alert_events (fingerprint, period, kind, severity);
CREATE INDEX alert_events_by_rule ON alert_events (rule, id);
CREATE TABLE notifications (
  id              INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,      -- fingerprint/cadence+period/kind/severity/occurrence
  event_id        INTEGER NOT NULL REFERENCES alert_events (id),
  fingerprint     TEXT NOT NULL,
  kind            TEXT NOT NULL,
  payload         TEXT NOT NULL,             -- JSON, everything a receiver needs
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  delivered_at    INTEGER,
  last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notifications_due ON notifications (state, next_attempt_at);
)sql"},
      {3, "deliveries per receiver, silences, acknowledgements", R"sql(
ALTER TABLE notifications ADD COLUMN routed_at INTEGER;  -- unix ms; NULL = not yet routed
CREATE INDEX notifications_unrouted ON notifications (routed_at, id);
CREATE TABLE deliveries (
  id                 INTEGER PRIMARY KEY,
  notification_id    INTEGER NOT NULL REFERENCES notifications (id),
  receiver           TEXT NOT NULL,
  seq                INTEGER NOT NULL DEFAULT 0,  -- 0: the event itself; n: n-th repeat
  group_key          TEXT NOT NULL,               -- receiver + group_by label values
  state              TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'delivered', 'dead', 'suppressed')),
  attempts           INTEGER NOT NULL DEFAULT 0,
  next_attempt_at    INTEGER NOT NULL,            -- unix ms
  created_at         INTEGER NOT NULL,            -- unix ms
  delivered_at       INTEGER,                     -- unix ms
  last_error         TEXT NOT NULL DEFAULT '',    -- or why it was suppressed
  group_interval_ms  INTEGER NOT NULL DEFAULT 0,
  repeat_interval_ms INTEGER NOT NULL DEFAULT 0,  -- 0: no repeats
  UNIQUE (notification_id, receiver, seq)
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
CREATE TABLE silences (
  id         INTEGER PRIMARY KEY,
  matchers   TEXT NOT NULL,                       -- JSON list of 'name=~"value"' strings
  author     TEXT NOT NULL,
  comment    TEXT NOT NULL,
  starts_at  INTEGER NOT NULL,                    -- unix seconds
  ends_at    INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE acknowledgements (
  id          INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  severity    TEXT NOT NULL,                      -- level acknowledged; a change re-notifies
  fired_at    INTEGER NOT NULL,                   -- episode acknowledged; a new one re-notifies
  author      TEXT NOT NULL,
  note        TEXT NOT NULL,
  at          INTEGER NOT NULL
);
CREATE INDEX acknowledgements_by_fingerprint ON acknowledgements (fingerprint, at);
)sql"},
      {4, "config_audit: accepted configuration and threshold changes", R"sql(
CREATE TABLE config_audit (
  id      INTEGER PRIMARY KEY,
  at      INTEGER NOT NULL,    -- unix seconds
  source  TEXT NOT NULL,       -- what triggered the change: start, SIGHUP, POST /-/reload
  changes TEXT NOT NULL        -- one threshold change per line
);
)sql"},
      {5, "batches.evaluated: rules have seen the batch", R"sql(
-- A batch is committed first and evaluated by the rules after; a crash in between must not
-- lose the evaluation, so it is marked, and unmarked batches are evaluated again at start.
-- Existing batches count as evaluated; new ones are inserted with 0.
ALTER TABLE batches ADD COLUMN evaluated INTEGER NOT NULL DEFAULT 1;
)sql"},
      {6, "alerts.log: every observation, so a late figure replays; events marked as revisions",
       R"sql(
-- A figure for any earlier period re-decides the alert from that period on (alerts/lifecycle.h):
-- the identity's observations are kept as "period:value:level:cleared;..." text (a few kB for
-- three years of weeks), read and written with the status row. before_last is no longer used.
ALTER TABLE alerts ADD COLUMN log TEXT NOT NULL DEFAULT '';
ALTER TABLE alert_events ADD COLUMN revised_period INTEGER;  -- set when a replay caused it
)sql"},
      {7, "enterprises.expected_reports: which reports the register expects", R"sql(
-- From the register: "weekly,monthly", "monthly", "weekly" or "" (none); NULL when the register
-- has not said.
ALTER TABLE enterprises ADD COLUMN expected_reports TEXT;
)sql"},
      {8, "pull_state: where each scheduled pull left off", R"sql(
-- One row per http_pull or sql_pull collector: the HTTP validators of the last body taken
-- (ETag, Last-Modified) and the SQL watermark (the :since of the next pull). Written after the
-- batch it follows has committed, so a crash in between re-pulls content that is then a
-- duplicate batch, never skips any.
CREATE TABLE pull_state (
  collector TEXT PRIMARY KEY,
  etag TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '',
  watermark TEXT,                 -- NULL: never pulled, the collector's since_start applies
  updated_at INTEGER NOT NULL
);
)sql"},
      {9, "config_audit: who, and refused changes with their errors", R"sql(
-- who: the request's principal (token:admin, user:NAME), a signal or the command line; outcome:
-- applied or refused (a reload that failed keeps the running config, and says so here).
ALTER TABLE config_audit ADD COLUMN who TEXT NOT NULL DEFAULT '';
ALTER TABLE config_audit ADD COLUMN outcome TEXT NOT NULL DEFAULT 'applied';
ALTER TABLE config_audit ADD COLUMN error TEXT NOT NULL DEFAULT '';
)sql"},
      {10, "quarantine: figures held out of every aggregate as suspected unit slips", R"sql(
-- A figure that a collector with quarantine: unit_errors brought and that the unit-slip check
-- flags (store/quarantine.h) is stored as any other (nothing accepted is lost) and gets a row
-- here: held and rejected figures are read by no aggregate and no rule until a revision of the
-- figure (which deletes the row in the same transaction, and is checked again) or a person's
-- confirm. The row is keyed like figures, so readers exclude it with one primary-key lookup.
-- decided_batch: the decision is recorded as a batch of its own, which is what the running
-- daemon follows (Store::ChangesOfBatch reads decisions too) — a confirm from the command line
-- reaches the rules the way a file from another process does.
CREATE TABLE quarantine (
  enterprise_id INTEGER NOT NULL,
  indicator_id  INTEGER NOT NULL,
  cadence       TEXT NOT NULL,
  period        INTEGER NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('held', 'confirmed', 'rejected')),
  value         REAL NOT NULL,              -- the figure held
  level         REAL NOT NULL,              -- the recent level it was checked against
  exponent      INTEGER NOT NULL,           -- 4: about 10 000 times the level; -3: 1/1 000
  collector     TEXT NOT NULL,
  batch_id      INTEGER NOT NULL,           -- the batch that brought the figure
  decided_batch INTEGER,                    -- the batch recording a confirm or reject
  decided_by    TEXT NOT NULL DEFAULT '',
  decided_at    INTEGER,
  PRIMARY KEY (enterprise_id, indicator_id, cadence, period)
) WITHOUT ROWID;
CREATE INDEX quarantine_by_decision ON quarantine (decided_batch);
ALTER TABLE batches ADD COLUMN figures_held INTEGER NOT NULL DEFAULT 0;
)sql"},
      {11, "alerts as a rowid table (rows in their page, not overflow pages), indexed by rule",
       R"sql(
-- A WITHOUT ROWID table keeps at most ~1 000 bytes of a row in its B-tree page (at 4 kB pages);
-- an identity's status with five years of observation log and its annotations is 1–2 kB, so
-- nearly every row took a 4 kB overflow page of its own: a first start after a bulk load of
-- 20 000 enterprises × 60 months wrote 197 MB of alerts for 60 000 rows (and as much WAL). A
-- rowid table keeps rows up to ~4 kB in place; fingerprint stays unique (its own index).
-- alerts_by_rule: whether a rule has any status yet is one lookup, so the engine looks up no
-- identity of a rule that has none (a new rule, the first deadline check after a bulk load).
-- before_last (unused since migration 6) is dropped.
CREATE TABLE alerts_rowid (
  fingerprint         TEXT NOT NULL UNIQUE,
  rule                TEXT NOT NULL,
  labels              TEXT NOT NULL,
  cadence             TEXT NOT NULL,
  state               TEXT NOT NULL,
  severity            TEXT NOT NULL,
  breach_count        INTEGER NOT NULL,
  clear_count         INTEGER NOT NULL,
  first_breach_period INTEGER,
  active_since_period INTEGER,
  last_period         INTEGER,
  value               REAL,
  value_at_firing     REAL,
  fired_at            INTEGER NOT NULL,
  resolved_at         INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  annotations         TEXT NOT NULL,
  log                 TEXT NOT NULL DEFAULT ''
);
INSERT INTO alerts_rowid (fingerprint, rule, labels, cadence, state, severity, breach_count,
  clear_count, first_breach_period, active_since_period, last_period, value, value_at_firing,
  fired_at, resolved_at, updated_at, annotations, log)
SELECT fingerprint, rule, labels, cadence, state, severity, breach_count, clear_count,
  first_breach_period, active_since_period, last_period, value, value_at_firing, fired_at,
  resolved_at, updated_at, annotations, log FROM alerts ORDER BY fingerprint;
DROP TABLE alerts;
ALTER TABLE alerts_rowid RENAME TO alerts;
CREATE INDEX alerts_by_state ON alerts (state, severity);
CREATE INDEX alerts_by_rule ON alerts (rule);
)sql"},
      {12, "alerts.log as a compact binary BLOB (text logs written before still read)", R"sql(
-- An identity's observation log (five years of monthly observations) was text, 20–30 bytes an
-- observation; it is now a BLOB of about 10 (the format is described in alerts/alert_store.cc).
-- SQLite keeps a BLOB as it is in a TEXT column, so the table is not rebuilt: a row written before
-- keeps its text log, which AlertStore still reads (by the value's storage class), until its
-- identity next changes and the row is written again. Nothing else reads the column.
SELECT 1;
)sql"},
      {13, "the figures whose quarantine hold each batch changed, so its changes read back whole",
       R"sql(
-- A batch's unit-slip check can hold or let back in figures other batches set (the periods after
-- its own read their recent level from it). Beside the figures a batch set (figures,
-- figure_history) and decided (quarantine.decided_batch), these rows are what it changed, so a
-- batch read back from the store (written by `parkwatch ingest`, or left unevaluated by a crash)
-- is followed only as far as its changes reach, like one the daemon ingested itself.
-- batches.changes_recorded marks the batches written since: one committed before names only the
-- figures it set, and is followed to the latest period.
CREATE TABLE batch_holds (
  batch_id      INTEGER NOT NULL,
  enterprise_id INTEGER NOT NULL,
  indicator_id  INTEGER NOT NULL,
  cadence       TEXT NOT NULL,
  period        INTEGER NOT NULL,
  PRIMARY KEY (batch_id, enterprise_id, indicator_id, cadence, period)
) WITHOUT ROWID;
ALTER TABLE batches ADD COLUMN changes_recorded INTEGER NOT NULL DEFAULT 0;
)sql"},
  };
  return kMigrations;
}

}  // namespace parkwatch
