#include "storage/sqlite/sqlite_checkpointer.h"

// SQLite's API comes in namespace sqlite_api, as SOCI declares it.
#include <soci/sqlite3/soci-sqlite3.h>

#include "storage/common/errors.h"

namespace apflow::plugins::sqlite {
using namespace sqlite_api;

Checkpointer::Checkpointer(const std::filesystem::path& file, const std::string& synchronous) {
  const int opened = sqlite3_open_v2(file.c_str(), &connection_, SQLITE_OPEN_READWRITE, nullptr);
  const std::string pragma = "PRAGMA synchronous = " + synchronous;
  if (opened != SQLITE_OK ||
      sqlite3_exec(connection_, pragma.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    const std::string why =
        connection_ != nullptr ? sqlite3_errmsg(connection_) : sqlite3_errstr(opened);
    sqlite3_close_v2(connection_);
    storage::throw_error(storage::codes::kStorageError,
                         "cannot open a checkpointing connection to the SQLite database '" +
                             file.string() + "': " + why);
  }
  thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  // The last connection to close copies what is left and removes the log.
  sqlite3_close_v2(connection_);
}

void Checkpointer::watch(soci::session& writer) {
  auto* backend = static_cast<soci::sqlite3_session_backend*>(writer.get_backend());
  sqlite3_wal_hook(backend->conn_, &Checkpointer::on_commit, this);
}

int Checkpointer::on_commit(void* self, sqlite3* writer, const char* schema, int pages) {
  auto& checkpointer = *static_cast<Checkpointer*>(self);
  if (pages >= kWriterPages) {
    // What the thread has not copied yet is copied here, so that the log can start again;
    // this commit waits for it. Failing to copy is no failure of the commit.
    sqlite3_wal_checkpoint_v2(writer, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
  }
  // Due at 1,000 pages, then at each further 1,000 while the log is not started again.
  const int last = checkpointer.due_at_;
  if (pages < kDuePages || (pages >= last && pages < last + kDuePages)) return SQLITE_OK;
  checkpointer.due_at_ = pages;
  {
    std::lock_guard lock(checkpointer.mutex_);
    checkpointer.due_ = true;
  }
  checkpointer.wake_.notify_one();
  return SQLITE_OK;
}

void Checkpointer::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return due_ || stopping_; });
    if (stopping_) return;
    due_ = false;
    lock.unlock();
    // A failed or partial copy (a reader still on an old snapshot) is tried again when the log
    // has grown by as much again.
    sqlite3_wal_checkpoint_v2(connection_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
  }
}

}  // namespace apflow::plugins::sqlite
