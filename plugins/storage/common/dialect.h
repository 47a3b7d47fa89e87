// Dialect: the few places where the SQL of the databases sharing this library differs. Everything
// else in storage/common is plain SQL that SQLite (>= 3.38) and PostgreSQL both accept.
#pragma once

#include <soci/soci.h>

#include <memory>
#include <string>
#include <string_view>

#include "storage/common/statement.h"

namespace apflow::plugins::storage {

struct Db;

class Dialect {
 public:
  virtual ~Dialect() = default;

  // The statements of `session`'s database, run through its own client library. The session
  // stays open while the connection lives.
  virtual std::unique_ptr<Connection> connect(soci::session& session) const = 0;

  // Opens a transaction that will write. SQLite must take its write lock at once: a read lock
  // upgraded later fails with SQLITE_BUSY instead of waiting when another process writes.
  virtual std::string begin_write() const = 0;
  virtual std::string begin_read() const = 0;

  // A subquery yielding one row per element of a JSON array of strings bound to `param`
  // (e.g. ":ids"). One statement then serves batches of any size without per-row round trips.
  virtual std::string id_set(std::string_view param) const = 0;

  // The same elements as a table named `alias` with one column, `value`, to walk first in a
  // join: `FROM <id_rows> CROSS JOIN apflow_tasks t WHERE t.id = alias.value`. Each id is then
  // one index lookup, where `IN (id_set)` first copies the whole set into a temporary index
  // (measured on SQLite: a quarter of such a query's work). CROSS JOIN keeps SQLite from
  // reordering; the ids must be distinct, or their rows come twice.
  virtual std::string id_rows(std::string_view param, std::string_view alias) const = 0;

  // Suffix of a SELECT whose rows the transaction goes on to change ("" where a writer already
  // holds the whole database); `of` names the table whose rows to lock when the SELECT joins.
  virtual std::string lock_rows(std::string_view of = {}) const = 0;

  // Suffix of the ready-task SELECT of claim_tasks, so that concurrent claimers pass over the
  // rows another is taking instead of claiming them twice.
  virtual std::string skip_locked() const = 0;

  // Runs after the migrations on every open: where the database's planner needs help to see
  // that an id list is more selective than a status, say so. Default: nothing.
  virtual void after_migrations(soci::session& /*sql*/) const {}

  // Reserves `count` consecutive insertion-order numbers (the `seq` column) inside the current
  // write transaction and returns the first. The default bumps a counter row, which serialises
  // concurrent creators until they commit; a database with sequences may do better.
  virtual long long reserve_seq(Db& db, long long count) const;
};

}  // namespace apflow::plugins::storage
