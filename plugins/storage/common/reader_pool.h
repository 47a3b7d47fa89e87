// ReaderPool: extra connections to a store's database for single-statement reads (a task by id),
// so that reads from several threads run side by side with each other and with the engine's
// write transactions instead of queueing behind them on TaskStore's mutex. Measured on
// `apflow mcp`: two IO threads reading one task each contended for that mutex on every call.
//
// Only for databases where a second connection sees the same data (a SQLite file in WAL mode, a
// server database); a statement in autocommit sees everything committed before it starts, which
// is what the same read on the writer's connection saw between two of its transactions.
//
// Thread safety: each reader is used by one thread at a time (its own mutex); acquire() never
// waits: it hands out a free reader, opening it on first use, or nothing when all are busy.
#pragma once

#include <soci/soci.h>

#include <array>
#include <functional>
#include <memory>
#include <mutex>

#include "storage/common/dialect.h"
#include "storage/common/statement_cache.h"

namespace apflow::plugins::storage {

// Opens one more session on the store's database, set up for reading.
using ReaderOpener = std::function<std::unique_ptr<soci::session>()>;

class ReaderPool {
  struct Reader {
    std::mutex mutex;
    std::unique_ptr<soci::session> sql;
    // Declared after the session they run on, so destroyed first.
    std::unique_ptr<Connection> connection;
    std::unique_ptr<StatementCache> cache;
  };

 public:
  // A reader held by one thread: its statements, released when the lease goes.
  class Lease {
   public:
    Lease() = default;
    explicit Lease(Reader& reader) : reader_(&reader), lock_(reader.mutex, std::adopt_lock) {}
    explicit operator bool() const noexcept { return reader_ != nullptr; }
    StatementCache& cache() const noexcept { return *reader_->cache; }

   private:
    Reader* reader_ = nullptr;
    std::unique_lock<std::mutex> lock_;
  };

  // An empty `open` makes a pool that never hands out a reader.
  ReaderPool(const Dialect& dialect, ReaderOpener open)
      : dialect_(dialect), open_(std::move(open)) {}

  // A free reader, or an empty lease when there is none (no opener, all busy, or opening one
  // failed: the caller then reads on its writer's connection, as without a pool).
  Lease acquire() noexcept;

 private:
  // As many as threads that read at once in practice: the HTTP front-ends' IO threads.
  static constexpr std::size_t kReaders = 4;

  const Dialect& dialect_;
  ReaderOpener open_;
  std::array<Reader, kReaders> readers_;
};

}  // namespace apflow::plugins::storage
