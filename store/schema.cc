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
  };
  return kMigrations;
}

}  // namespace parkwatch
