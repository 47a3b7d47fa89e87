// WalCheckpointer: copies a store's write-ahead log back into the database file on a thread and
// connection of its own, so that no commit waits for a checkpoint.
//
// SQLite's default checkpoints on the committing connection once the log passes 1,000 pages: a
// commit then also writes those pages into the database file and syncs it, which on a durable
// store is most of the commit's time for the tasks that happen to trigger it (a chain step, a
// batch of a fan-out). Here the writer's commit only notes that the log is long; this thread
// runs a PASSIVE checkpoint beside it (it never blocks the writer nor readers). Should the
// checkpointer fall far behind, the writer checkpoints itself as SQLite would, so the log stays
// bounded.
//
// Depends on SQLite only. Thread safety: the commit hook runs on the writer's thread and only
// signals; the checkpoint connection is used by the checkpointer's thread alone.
#pragma once

#include <soci/sqlite3/soci-sqlite3.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

namespace apflow::plugins::sqlite {

class WalCheckpointer {
 public:
  // `writer`: the store's open connection (WAL mode) to `file`, which must outlive this object.
  // `synchronous`: FULL or NORMAL, as the writer's. Checkpoints start once the log holds
  // `threshold_pages`; the writer checkpoints itself past eight times as many.
  WalCheckpointer(sqlite_api::sqlite3* writer, const std::filesystem::path& file,
                  const std::string& synchronous, int threshold_pages = 1000);
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Whether checkpoints run on the thread (false: the checkpoint connection could not be
  // opened, and the writer keeps SQLite's own checkpoints).
  bool running() const noexcept { return thread_.joinable(); }

 private:
  static int on_commit(void* self, sqlite_api::sqlite3* db, const char* schema, int pages);
  void loop();

  sqlite_api::sqlite3* writer_;
  sqlite_api::sqlite3* own_ = nullptr;
  const int threshold_pages_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool pending_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace apflow::plugins::sqlite
