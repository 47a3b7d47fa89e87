// TaskStore: one open store. Runs each operation of docs/storage.md as one transaction on one
// connection (opened and migrated through SOCI, its statements run by the Dialect's
// Connection), serialised by a mutex, and reports failures as apflow::sdk::Error.
//
// Thread safety: every operation takes the store's mutex for its whole transaction. SQLite
// admits one writer at a time anyway, and one connection keeps `:memory:` stores whole; a
// backend that wants parallel transactions opens one TaskStore per connection. Single-statement
// reads run on a ReaderPool's connections instead when the backend gives an opener for them.
#pragma once

#include <apflow/sdk/storage.h>
#include <soci/soci.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "storage/common/dialect.h"
#include "storage/common/reader_pool.h"
#include "storage/common/statement_cache.h"

namespace apflow::plugins::storage {

class TaskStore final : public sdk::Storage {
 public:
  // Takes an open session and applies pending migrations (recorded with `version`).
  // `open_reader`, when given, opens more sessions on the same database for reads.
  TaskStore(std::unique_ptr<soci::session> sql, std::unique_ptr<Dialect> dialect,
            const std::string& version, ReaderOpener open_reader = {});
  ~TaskStore() override;

  std::string run(sdk::StorageOp op, std::string_view request) override;

  // The migrations this open applied (empty when the schema was already current).
  const std::vector<std::string>& applied_migrations() const noexcept { return applied_; }

 private:
  std::mutex mutex_;
  std::unique_ptr<soci::session> sql_;
  std::unique_ptr<Dialect> dialect_;
  // Declared after the session they run on, so destroyed first.
  std::unique_ptr<Connection> connection_;
  StatementCache cache_;
  std::vector<std::string> applied_;
  ReaderPool readers_;
};

}  // namespace apflow::plugins::storage
