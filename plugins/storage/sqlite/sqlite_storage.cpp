// sqlite_storage: the embedded default store. Registers the storage backend "sqlite"; each
// open() is one database file (or :memory:) behind one connection. All SQL lives in
// storage/common; this plugin finds the file, tunes the connection and runs the statements on
// SQLite's own API (sqlite_statement.h).
#include <apflow/sdk/sdk.h>
#include <soci/soci.h>

#include <memory>
#include <string>

#include "storage/common/errors.h"
#include "storage/common/request.h"
#include "storage/common/task_store.h"
#include "storage/sqlite/sqlite_checkpointer.h"
#include "storage/sqlite/sqlite_dialect.h"
#include "storage/sqlite/sqlite_location.h"

namespace apflow::plugins::sqlite {
namespace {

// A file database's store with its checkpointer, which outlives the store's connections.
class SqliteFileStore final : public sdk::Storage {
 public:
  SqliteFileStore(std::unique_ptr<Checkpointer> checkpointer,
                  std::unique_ptr<storage::TaskStore> store)
      : checkpointer_(std::move(checkpointer)), store_(std::move(store)) {}
  std::string run(sdk::StorageOp op, std::string_view request) override {
    return store_->run(op, request);
  }

 private:
  std::unique_ptr<Checkpointer> checkpointer_;
  std::unique_ptr<storage::TaskStore> store_;
};

class SqliteBackend {
 public:
  static constexpr std::string_view kId = "sqlite";
  static constexpr std::string_view kDescription =
      "Embedded SQLite store in one file (or :memory:), WAL journal, durable commits.";
  static constexpr std::string_view kConfigSchema =
      R"({"type":"object","properties":{"backend":{"type":"string"},"path":{"type":"string"},)"
      R"("synchronous":{"enum":["FULL","NORMAL"]}},"additionalProperties":false})";

  // Thread safety: one connection per store for its transactions, serialised by TaskStore's
  // mutex (SQLite runs one writer at a time anyway); a file database also gets reader
  // connections for single-statement reads, which WAL lets run beside the writer, and a
  // checkpointer thread that copies the log back into the file beside them.
  std::unique_ptr<sdk::Storage> open(const sdk::Json& config) {
    if (!config.IsObject()) storage::throw_invalid("the storage configuration must be an object");
    storage::check_keys(config, {"backend", "path", "synchronous"}, "storage");
    const auto path = storage::opt_string(config, "path", "storage");
    if (!path) storage::throw_invalid("the sqlite storage needs storage.path");
    const std::string synchronous =
        storage::opt_string(config, "synchronous", "storage").value_or("FULL");
    if (synchronous != "FULL" && synchronous != "NORMAL") {
      storage::throw_invalid("storage.synchronous must be FULL or NORMAL");
    }
    const Location where = resolve(*path);
    prepare(where);
    auto sql = std::make_unique<soci::session>();
    open_session(*sql, where);
    configure(*sql, where, synchronous);
    if (where.in_memory) {
      return std::make_unique<storage::TaskStore>(std::move(sql), std::make_unique<SqliteDialect>(),
                                                  APFLOW_SQLITE_VERSION);
    }
    auto checkpointer = std::make_unique<Checkpointer>(where.file, synchronous);
    checkpointer->watch(*sql);
    storage::ReaderOpener open_reader = [where] {
      auto reader = std::make_unique<soci::session>();
      open_session(*reader, where);
      configure_reader(*reader, where);
      return reader;
    };
    auto store =
        std::make_unique<storage::TaskStore>(std::move(sql), std::make_unique<SqliteDialect>(),
                                             APFLOW_SQLITE_VERSION, std::move(open_reader));
    return std::make_unique<SqliteFileStore>(std::move(checkpointer), std::move(store));
  }
};

}  // namespace
}  // namespace apflow::plugins::sqlite

APFLOW_PLUGIN("sqlite", APFLOW_SQLITE_VERSION,
              APFLOW_STORAGE(apflow::plugins::sqlite::SqliteBackend),
              APFLOW_DESCRIPTION("The embedded SQLite storage backend (the default store)."))
