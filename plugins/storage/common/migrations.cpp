#include "storage/common/migrations.h"

#include <algorithm>

#include "storage/common/clock.h"

namespace apflow::plugins::storage {
namespace {

struct Migration {
  const char* id;
  const char* description;
  std::vector<const char*> statements;
};

// Types both SQLite and PostgreSQL accept. Booleans are INTEGER 0/1 and timestamps fixed-width
// ISO-8601 text, so every backend binds them the same way through SOCI. A migration is frozen
// once released: change the schema by appending a new one.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all{
      {"001_task_store",
       "apflow_tasks with readiness and lease columns, task edges, task_checkpoints, counters",
       {R"(CREATE TABLE apflow_tasks (
            id VARCHAR(255) NOT NULL PRIMARY KEY,
            parent_id VARCHAR(255),
            task_tree_id VARCHAR(255),
            user_id VARCHAR(255),
            name VARCHAR(100) NOT NULL,
            status VARCHAR(50) NOT NULL DEFAULT 'pending',
            priority INTEGER NOT NULL DEFAULT 2,
            dependencies TEXT,
            inputs TEXT,
            params TEXT,
            schemas TEXT,
            result TEXT,
            error TEXT,
            progress DOUBLE PRECISION NOT NULL DEFAULT 0,
            created_at VARCHAR(30) NOT NULL,
            started_at VARCHAR(30),
            updated_at VARCHAR(30) NOT NULL,
            completed_at VARCHAR(30),
            has_children INTEGER NOT NULL DEFAULT 0,
            has_references INTEGER NOT NULL DEFAULT 0,
            original_task_id VARCHAR(255),
            origin_type VARCHAR(50),
            max_attempts INTEGER NOT NULL DEFAULT 3,
            attempt_count INTEGER NOT NULL DEFAULT 0,
            token_usage TEXT,
            token_budget BIGINT,
            cost_policy VARCHAR(100),
            failure_policy VARCHAR(20) NOT NULL DEFAULT 'fail',
            injection VARCHAR(20) NOT NULL DEFAULT 'by_id',
            timeout_ms BIGINT,
            queued INTEGER NOT NULL DEFAULT 0,
            blockers INTEGER NOT NULL DEFAULT 0,
            lease_owner VARCHAR(255),
            lease_expires_at BIGINT,
            seq BIGINT NOT NULL))",
        "CREATE INDEX idx_apflow_tasks_parent_id ON apflow_tasks (parent_id)",
        "CREATE INDEX idx_apflow_tasks_task_tree_id ON apflow_tasks (task_tree_id)",
        "CREATE INDEX idx_apflow_tasks_user_id ON apflow_tasks (user_id)",
        "CREATE INDEX idx_apflow_tasks_created_at ON apflow_tasks (created_at)",
        // Only ready tasks are in it, ordered as claim_tasks takes them: claiming reads the
        // first rows, and a task enters and leaves it once per run.
        "CREATE INDEX idx_apflow_tasks_ready ON apflow_tasks (priority, seq) "
        "WHERE status = 'pending' AND queued = 1 AND blockers = 0",
        // Running tasks by lease expiry. No plain status index: it would be rewritten on every
        // claim and finish (measured: a quarter of a claim's cost) for the sake of listings.
        "CREATE INDEX idx_apflow_tasks_leases ON apflow_tasks (lease_expires_at) "
        "WHERE status = 'in_progress'",
        R"(CREATE TABLE apflow_task_edges (
            task_id VARCHAR(255) NOT NULL,
            depends_on VARCHAR(255) NOT NULL,
            kind VARCHAR(20) NOT NULL,
            PRIMARY KEY (task_id, depends_on, kind)))",
        "CREATE INDEX idx_apflow_task_edges_depends_on ON apflow_task_edges (depends_on)",
        R"(CREATE TABLE task_checkpoints (
            id VARCHAR(255) NOT NULL PRIMARY KEY,
            task_id VARCHAR(255) NOT NULL REFERENCES apflow_tasks (id) ON DELETE CASCADE,
            checkpoint_data TEXT NOT NULL,
            step_name VARCHAR(255),
            created_at VARCHAR(30) NOT NULL))",
        "CREATE UNIQUE INDEX idx_task_checkpoints_task_id ON task_checkpoints (task_id)",
        // The last `seq` handed out (Dialect::reserve_seq).
        "CREATE TABLE apflow_counters (name VARCHAR(50) NOT NULL PRIMARY KEY, "
        "value BIGINT NOT NULL)",
        "INSERT INTO apflow_counters (name, value) VALUES ('task_seq', 0)"}},
      {"002_schedules",
       "schedule columns of reference §1.1 and the index of enabled schedules by next run",
       {"ALTER TABLE apflow_tasks ADD COLUMN schedule_type VARCHAR(20)",
        "ALTER TABLE apflow_tasks ADD COLUMN schedule_expression VARCHAR(100)",
        "ALTER TABLE apflow_tasks ADD COLUMN schedule_enabled INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE apflow_tasks ADD COLUMN schedule_start_at VARCHAR(30)",
        "ALTER TABLE apflow_tasks ADD COLUMN schedule_end_at VARCHAR(30)",
        "ALTER TABLE apflow_tasks ADD COLUMN next_run_at VARCHAR(30)",
        "ALTER TABLE apflow_tasks ADD COLUMN last_run_at VARCHAR(30)",
        "ALTER TABLE apflow_tasks ADD COLUMN max_runs INTEGER",
        "ALTER TABLE apflow_tasks ADD COLUMN run_count INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX idx_apflow_tasks_due ON apflow_tasks (next_run_at) "
        "WHERE schedule_enabled = 1"}},
      {"003_retries",
       "when a failed attempt's retry is due, and a task's own backoff policy",
       {"ALTER TABLE apflow_tasks ADD COLUMN retry_at BIGINT",
        "ALTER TABLE apflow_tasks ADD COLUMN backoff_strategy VARCHAR(20)",
        "ALTER TABLE apflow_tasks ADD COLUMN backoff_base_ms BIGINT",
        "ALTER TABLE apflow_tasks ADD COLUMN backoff_max_ms BIGINT",
        // Only tasks waiting for a retry are in it: the claim asks it when the next one is due.
        "CREATE INDEX idx_apflow_tasks_retry ON apflow_tasks (retry_at) "
        "WHERE retry_at IS NOT NULL"}},
      {"004_lease_expiries",
       "how often a task's lease expired in its current run, to stop one that keeps killing its "
       "process",
       {"ALTER TABLE apflow_tasks ADD COLUMN lease_expiries INTEGER NOT NULL DEFAULT 0"}},
  };
  return all;
}

// SOCI binds parameters by reference and runs a one-off statement when the full expression ends,
// after temporaries are gone: every bound value here is a named local.
bool recorded(soci::session& sql, const std::string& id) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM apflow_schema_migrations WHERE id = :id", soci::use(id),
      soci::into(count);
  return count > 0;
}

// Applies one migration unless another process got there first.
bool apply(soci::session& sql, const Dialect& dialect, const Migration& m,
           const std::string& version) {
  const std::string id = m.id;
  const std::string description = m.description;
  sql << dialect.begin_write();
  try {
    if (recorded(sql, id)) {
      sql << "ROLLBACK";
      return false;
    }
    for (const char* statement : m.statements) sql << statement;
    const std::string now = iso_utc(now_ms());
    sql << "INSERT INTO apflow_schema_migrations (id, description, apflow_version, created_at, "
           "updated_at) VALUES (:id, :description, :version, :created, :updated)",
        soci::use(id), soci::use(description), soci::use(version), soci::use(now), soci::use(now);
    sql << "COMMIT";
    return true;
  } catch (...) {
    try {
      sql << "ROLLBACK";
    } catch (...) {
    }
    throw;
  }
}

}  // namespace

std::vector<std::string> migrate(soci::session& sql, const Dialect& dialect,
                                 const std::string& version) {
  sql << "CREATE TABLE IF NOT EXISTS apflow_schema_migrations (id VARCHAR(100) NOT NULL PRIMARY "
         "KEY, description TEXT, apflow_version VARCHAR(50), created_at VARCHAR(30), "
         "updated_at VARCHAR(30))";
  std::vector<std::string> applied;
  for (const auto& m : migrations()) {
    if (apply(sql, dialect, m, version)) applied.emplace_back(m.id);
  }
  return applied;
}

std::vector<std::string> migration_ids() {
  std::vector<std::string> ids;
  for (const auto& m : migrations()) ids.emplace_back(m.id);
  return ids;
}

}  // namespace apflow::plugins::storage
