#include "storage/sqlite/wal_checkpointer.h"

#include <sqlite3.h>

namespace apflow::plugins::sqlite {

using sqlite_api::sqlite3;

WalCheckpointer::WalCheckpointer(sqlite3* writer, const std::filesystem::path& file,
                                 const std::string& synchronous, int threshold_pages)
    : writer_(writer), threshold_pages_(threshold_pages) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (sqlite_api::sqlite3_open_v2(file.c_str(), &own_, flags, nullptr) != SQLITE_OK ||
      // A first read opens the connection's view of the log, which checkpoints work on.
      sqlite_api::sqlite3_exec(
          own_, ("PRAGMA synchronous = " + synchronous + "; SELECT 1 FROM sqlite_schema").c_str(),
          nullptr, nullptr, nullptr) != SQLITE_OK) {
    sqlite_api::sqlite3_close(own_);  // a null handle is a no-op
    own_ = nullptr;
    return;
  }
  // Replaces the writer's own checkpoints (sqlite3_wal_autocheckpoint installs the same hook).
  sqlite_api::sqlite3_wal_hook(writer_, &WalCheckpointer::on_commit, this);
  thread_ = std::thread([this] { loop(); });
}

WalCheckpointer::~WalCheckpointer() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
  sqlite_api::sqlite3_wal_autocheckpoint(writer_, threshold_pages_);
  sqlite_api::sqlite3_close(own_);
}

int WalCheckpointer::on_commit(void* self, sqlite3* db, const char* schema, int pages) {
  auto& checkpointer = *static_cast<WalCheckpointer*>(self);
  if (pages < checkpointer.threshold_pages_) return SQLITE_OK;
  if (pages >= 8 * checkpointer.threshold_pages_) {
    // Far behind (a reader pinning old pages, a slow disk): bound the log as SQLite would.
    sqlite_api::sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
  }
  {
    std::lock_guard lock(checkpointer.mutex_);
    if (checkpointer.pending_) return SQLITE_OK;
    checkpointer.pending_ = true;
  }
  checkpointer.wake_.notify_one();
  return SQLITE_OK;
}

void WalCheckpointer::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return pending_ || stop_; });
    if (stop_) return;
    pending_ = false;
    lock.unlock();
    // PASSIVE copies what no reader still needs and never waits; a busy log is retried after
    // the next long commit.
    sqlite_api::sqlite3_wal_checkpoint_v2(own_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                          nullptr);
    lock.lock();
  }
}

}  // namespace apflow::plugins::sqlite
