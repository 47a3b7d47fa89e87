#include "storage/common/task_store.h"

#include <array>

#include "storage/common/errors.h"
#include "storage/common/migrations.h"
#include "storage/common/ops.h"

namespace apflow::plugins::storage {
namespace {

using OpFn = std::string (*)(Db&, std::string_view);

// How an operation is made one transaction.
enum class Tx {
  kWrite,      // BEGIN for writing (SQLite: the write lock at once) ... COMMIT
  kStatement,  // a single read statement, its own transaction: nothing to add, and it may run
               // on a reader's connection (apflow.task.get)
  kSnapshot,   // reads in one snapshot (BEGIN ... COMMIT), on a reader's connection when there
               // is one: the inline runner's claims run beside the writer's transactions
  kQuery       // reads in one snapshot, on the writer's connection when it is free, else as
               // kSnapshot: the writer's cache holds the pages the last commits wrote, where a
               // reader's is emptied by every commit and reads each page again, one system call
               // a page (the planner's read of a 10,000-task tree it just created: ~800 calls)
};

struct OpEntry {
  const char* name;
  OpFn fn;
  Tx tx;
};

// In sdk::StorageOp order.
constexpr std::array<OpEntry, 15> kOps{{
    {"create_tasks", &create_tasks, Tx::kWrite},
    {"get_tasks", &get_tasks, Tx::kStatement},
    {"query_tasks", &query_tasks, Tx::kQuery},
    {"update_task", &update_task, Tx::kWrite},
    {"delete_tasks", &delete_tasks, Tx::kWrite},
    {"queue_tasks", &queue_tasks, Tx::kWrite},
    {"claim_tasks", &claim_tasks, Tx::kWrite},
    {"finish_tasks", &finish_tasks, Tx::kWrite},
    {"cancel_tasks", &cancel_tasks, Tx::kWrite},
    {"renew_leases", &renew_leases, Tx::kWrite},
    {"expire_leases", &expire_leases, Tx::kWrite},
    {"record_progress", &record_progress, Tx::kWrite},
    {"save_checkpoint", &save_checkpoint, Tx::kWrite},
    {"load_checkpoint", &load_checkpoint, Tx::kStatement},
    {"claim_inline", &claim_inline, Tx::kSnapshot},
}};

void rollback_quietly(soci::session& sql) noexcept {
  try {
    sql << "ROLLBACK";
  } catch (...) {
    // The transaction may already be gone (a failed COMMIT ends it); nothing is left to undo.
  }
}

// Runs one operation's function, its failures as the store's errors.
std::string call(const OpEntry& entry, Db& db, std::string_view request) {
  try {
    return entry.fn(db, request);
  } catch (const sdk::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw sdk::Error(codes::kStorageError,
                     std::string(entry.name) + " failed in the database: " + e.what());
  }
}

// Runs one operation between `begin` and COMMIT, rolled back when it fails. `session`: the
// writer's, whose ROLLBACK goes through SOCI; a reader's connection (null) rolls back through
// its own statements.
std::string in_transaction(const OpEntry& entry, Db& db, const std::string& begin,
                           std::string_view request, soci::session* session) {
  auto rollback = [&]() noexcept {
    if (session != nullptr) return rollback_quietly(*session);
    rollback_quietly(db);
  };
  try {
    execute(db, begin, {});
  } catch (const std::runtime_error& e) {
    throw sdk::Error(codes::kStorageError,
                     std::string(entry.name) + ": could not start a transaction: " + e.what());
  }
  try {
    std::string response = call(entry, db, request);
    execute(db, "COMMIT", {});
    return response;
  } catch (const sdk::Error&) {
    rollback();
    throw;
  } catch (const std::exception& e) {
    // COMMIT failed.
    rollback();
    throw sdk::Error(codes::kStorageError,
                     std::string(entry.name) + " failed in the database: " + e.what());
  }
}

}  // namespace

TaskStore::TaskStore(std::unique_ptr<soci::session> sql, std::unique_ptr<Dialect> dialect,
                     const std::string& version, ReaderOpener open_reader)
    : sql_(std::move(sql)),
      dialect_(std::move(dialect)),
      connection_(dialect_->connect(*sql_)),
      cache_(*connection_),
      readers_(*dialect_, std::move(open_reader)) {
  try {
    applied_ = migrate(*sql_, *dialect_, version);
    dialect_->after_migrations(*sql_);
  } catch (const soci::soci_error& e) {
    throw sdk::Error(codes::kStorageError,
                     std::string("could not migrate the store's schema: ") + e.what());
  }
}

TaskStore::~TaskStore() = default;

std::string TaskStore::run(sdk::StorageOp op, std::string_view request) {
  const auto index = static_cast<std::size_t>(op);
  if (index >= kOps.size()) throw_invalid("unknown storage operation");
  const OpEntry& entry = kOps[index];
  const bool wrapped = entry.tx != Tx::kStatement;
  std::unique_lock lock(mutex_, std::defer_lock);
  if (entry.tx == Tx::kQuery) lock.try_lock();
  if (!lock.owns_lock() && entry.tx != Tx::kWrite) {
    if (auto reader = readers_.acquire()) {
      Db db{*dialect_, reader.cache()};
      if (entry.tx == Tx::kStatement) return call(entry, db, request);
      return in_transaction(entry, db, dialect_->begin_read(), request, nullptr);
    }
  }
  if (!lock.owns_lock()) lock.lock();
  Db db{*dialect_, cache_};
  if (!wrapped) return call(entry, db, request);
  return in_transaction(entry, db,
                        entry.tx == Tx::kWrite ? dialect_->begin_write() : dialect_->begin_read(),
                        request, sql_.get());
}

}  // namespace apflow::plugins::storage
