#include "storage/sqlite/sqlite_dialect.h"

#include "storage/sqlite/sqlite_statement.h"

namespace apflow::plugins::sqlite {

std::unique_ptr<storage::Connection> SqliteDialect::connect(soci::session& session) const {
  return std::make_unique<SqliteConnection>(session);
}

std::string SqliteDialect::id_set(std::string_view param) const {
  return "SELECT value FROM json_each(" + std::string(param) + ")";
}

std::string SqliteDialect::id_rows(std::string_view param, std::string_view alias) const {
  return "json_each(" + std::string(param) + ") AS " + std::string(alias);
}

// Without statistics SQLite guesses that `status = 'pending'` matches about ten rows and walks
// the status index instead of looking up a batch's ids, which turns every batched statement
// into a scan of all pending tasks. Until a real ANALYZE replaces them, these figures describe
// a large store (the SQLite documentation allows seeding sqlite_stat1 this way): ids
// unique, statuses shared by many rows, few tasks ready or running at once, a few edges per task.
void SqliteDialect::after_migrations(soci::session& sql) const {
  sql << "ANALYZE sqlite_schema";  // creates sqlite_stat1 when it is missing
  sql << "BEGIN IMMEDIATE";
  try {
    long long rows = 0;
    sql << "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl IN ('apflow_tasks', 'apflow_task_edges')",
        soci::into(rows);
    if (rows == 0) {
      sql << "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES "
             "('apflow_tasks', 'sqlite_autoindex_apflow_tasks_1', '1000000 1'), "
             "('apflow_tasks', 'idx_apflow_tasks_ready', '10000 2500 1'), "
             "('apflow_tasks', 'idx_apflow_tasks_leases', '10000 1'), "
             "('apflow_tasks', 'idx_apflow_tasks_parent_id', '1000000 5'), "
             "('apflow_tasks', 'idx_apflow_tasks_task_tree_id', '1000000 20'), "
             "('apflow_tasks', 'idx_apflow_tasks_user_id', '1000000 1000'), "
             "('apflow_tasks', 'idx_apflow_tasks_created_at', '1000000 2'), "
             "('apflow_task_edges', 'sqlite_autoindex_apflow_task_edges_1', '2000000 2 1 1'), "
             "('apflow_task_edges', 'idx_apflow_task_edges_depends_on', '2000000 2')";
    }
    sql << "COMMIT";
  } catch (...) {
    sql << "ROLLBACK";
    throw;
  }
  sql << "ANALYZE sqlite_schema";  // reloads the statistics
}

}  // namespace apflow::plugins::sqlite
