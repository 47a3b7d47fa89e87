#include "storage/common/task_store.h"

#include <array>

#include "storage/common/errors.h"
#include "storage/common/migrations.h"
#include "storage/common/ops.h"

namespace apflow::plugins::storage {
namespace {

using OpFn = std::string (*)(Db&, std::string_view);

struct OpEntry {
  const char* name;
  OpFn fn;
  bool writes;
};

// In sdk::StorageOp order.
constexpr std::array<OpEntry, 14> kOps{{
    {"create_tasks", &create_tasks, true},
    {"get_tasks", &get_tasks, false},
    {"query_tasks", &query_tasks, false},
    {"update_task", &update_task, true},
    {"delete_tasks", &delete_tasks, true},
    {"queue_tasks", &queue_tasks, true},
    {"claim_tasks", &claim_tasks, true},
    {"finish_tasks", &finish_tasks, true},
    {"cancel_tasks", &cancel_tasks, true},
    {"renew_leases", &renew_leases, true},
    {"expire_leases", &expire_leases, true},
    {"record_progress", &record_progress, true},
    {"save_checkpoint", &save_checkpoint, true},
    {"load_checkpoint", &load_checkpoint, false},
}};

void rollback_quietly(soci::session& sql) noexcept {
  try {
    sql << "ROLLBACK";
  } catch (...) {
    // The transaction may already be gone (a failed COMMIT ends it); nothing is left to undo.
  }
}

}  // namespace

TaskStore::TaskStore(std::unique_ptr<soci::session> sql, std::unique_ptr<Dialect> dialect,
                     const std::string& version)
    : sql_(std::move(sql)), dialect_(std::move(dialect)), cache_(*sql_) {
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
  std::lock_guard lock(mutex_);
  soci::session& sql = *sql_;
  Db db{sql, *dialect_, cache_};
  try {
    execute(db, entry.writes ? dialect_->begin_write() : dialect_->begin_read(), {});
  } catch (const soci::soci_error& e) {
    throw sdk::Error(codes::kStorageError,
                     std::string(entry.name) + ": could not start a transaction: " + e.what());
  }
  try {
    std::string response = entry.fn(db, request);
    execute(db, "COMMIT", {});
    return response;
  } catch (const sdk::Error&) {
    rollback_quietly(sql);
    throw;
  } catch (const std::exception& e) {
    rollback_quietly(sql);
    throw sdk::Error(codes::kStorageError,
                     std::string(entry.name) + " failed in the database: " + e.what());
  }
}

}  // namespace apflow::plugins::storage
