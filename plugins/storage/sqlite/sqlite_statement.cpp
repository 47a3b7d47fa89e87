#include "storage/sqlite/sqlite_statement.h"

// SQLite's API comes in namespace sqlite_api, as SOCI declares it.
#include <soci/sqlite3/soci-sqlite3.h>

namespace apflow::plugins::sqlite {
namespace {

using storage::DbError;
using namespace sqlite_api;

class SqliteStatement final : public storage::Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* st) : db_(db), st_(st) {}
  ~SqliteStatement() override { sqlite3_finalize(st_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // SQLite numbers parameters from 1.
  void bind_null(int i) override { check(sqlite3_bind_null(st_, i + 1)); }
  void bind_text(int i, std::string_view value) override {
    check(sqlite3_bind_text64(st_, i + 1, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8));
  }
  void bind_integer(int i, long long value) override {
    check(sqlite3_bind_int64(st_, i + 1, value));
  }
  void bind_real(int i, double value) override { check(sqlite3_bind_double(st_, i + 1, value)); }

  bool step() override {
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // The statement's own code and message: sqlite3_step's extended code says no more.
    throw DbError(sqlite3_errmsg(db_));
  }
  void reset() noexcept override {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }

  bool is_null(int col) override { return sqlite3_column_type(st_, col) == SQLITE_NULL; }
  std::string_view text(int col) override {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(st_, col));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(st_, col));
    return data == nullptr ? std::string_view() : std::string_view(data, size);
  }
  // SQLite gives no text for NULL (nor for an empty blob, which the store never writes).
  std::optional<std::string_view> nullable_text(int col) override {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(st_, col));
    if (data == nullptr) return std::nullopt;
    return std::string_view(data, static_cast<std::size_t>(sqlite3_column_bytes(st_, col)));
  }
  long long integer(int col) override { return sqlite3_column_int64(st_, col); }
  double real(int col) override { return sqlite3_column_double(st_, col); }

  long long changes() override { return sqlite3_changes64(db_); }

 private:
  void check(int rc) const {
    if (rc != SQLITE_OK) throw DbError(sqlite3_errmsg(db_));
  }

  sqlite3* db_;
  sqlite3_stmt* st_;
};

}  // namespace

SqliteConnection::SqliteConnection(soci::session& session)
    : db_(static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_) {}

std::unique_ptr<storage::Statement> SqliteConnection::prepare(const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  // Kept for the store's life: SQLite may plan it for that rather than for one run.
  const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size() + 1),
                                    SQLITE_PREPARE_PERSISTENT, &st, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(st);
    throw DbError(std::string(sqlite3_errmsg(db_)) + " while preparing \"" + sql + "\"");
  }
  return std::make_unique<SqliteStatement>(db_, st);
}

}  // namespace apflow::plugins::sqlite
