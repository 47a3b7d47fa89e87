// Checkpointer: copies a file database's write-ahead log back into the database file on a thread
// of its own. SQLite's default runs that copy inside the COMMIT that grows the log past 1,000
// pages, so that commit also waits for reading the log, writing the database file and its
// fsync (measured: ~20 ms inside the queueing of a 10,000-task tree). Here a commit only notes
// the log's size; this thread runs a PASSIVE checkpoint, which takes no lock the writer or the
// readers wait for.
//
// The log starts again from its beginning only after a checkpoint that found nothing new behind
// it, which a thread copying beside a busy writer never does. So at 4,000 pages the committing
// writer checkpoints itself, as SQLite's default would at 1,000: the thread has copied all but
// the last pages by then, the copy is short, and the log starts again (it stays under ~32 MB
// with the 8 KiB pages of a database created now, ~16 MB with an older one's 4 KiB).
//
// Thread safety: the commit hook runs on whichever thread commits on the watched connection;
// checkpoints run on this object's thread, on its own connection.
#pragma once

#include <soci/soci.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

// SOCI declares SQLite's API in this namespace.
namespace sqlite_api {
struct sqlite3;
}  // namespace sqlite_api

namespace apflow::plugins::sqlite {

class Checkpointer {
 public:
  // Opens its own connection to `file` (already in WAL mode) with the store's `synchronous`.
  // Throws STORAGE_ERROR naming the file when it cannot.
  Checkpointer(const std::filesystem::path& file, const std::string& synchronous);
  // Stops the thread and closes its connection: destroy it after the watched connection closed.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Takes over the checkpoints of the database's writing connection (replacing SQLite's
  // automatic ones there).
  void watch(soci::session& writer);

 private:
  // Log size, in pages, from which a checkpoint is due: SQLite's own default.
  static constexpr int kDuePages = 1000;
  // Log size at which the committing writer checkpoints itself.
  static constexpr int kWriterPages = 4 * kDuePages;

  static int on_commit(void* self, sqlite_api::sqlite3* writer, const char* schema, int pages);
  void run();

  sqlite_api::sqlite3* connection_ = nullptr;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  // The log's size when the last checkpoint was asked for; a smaller one has started again from
  // its beginning. Only the commit hook uses it, and the store's commits come one at a time.
  int due_at_ = 0;
  std::thread thread_;
};

}  // namespace apflow::plugins::sqlite
