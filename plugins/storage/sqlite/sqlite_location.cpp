#include "storage/sqlite/sqlite_location.h"

#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <system_error>

#include "storage/common/errors.h"

namespace apflow::plugins::sqlite {
namespace fs = std::filesystem;
using storage::throw_error;
using storage::throw_invalid;
using storage::codes::kStorageError;

namespace {

bool is_memory(std::string_view path) {
  return path == ":memory:" || path == "/:memory:";
}

fs::path expand_home(std::string_view path) {
  const char* home = std::getenv("HOME");
  if (path.starts_with("~/") && home != nullptr) return fs::path(home) / path.substr(2);
  return fs::path(path);
}

}  // namespace

Location resolve(std::string_view configured) {
  Location where;
  where.shown = std::string(configured);
  std::string_view path = configured;
  constexpr std::string_view kScheme = "sqlite://";
  if (path.starts_with(kScheme)) {
    path.remove_prefix(kScheme.size());
  } else if (path.find("://") != std::string_view::npos) {
    throw_invalid("the sqlite storage cannot open '" + where.shown +
                  "': give a file path, sqlite:///path or :memory:");
  }
  if (path.empty()) throw_invalid("the sqlite storage needs a path: set storage.path");
  if (is_memory(path)) {
    where.in_memory = true;
    return where;
  }
  if (path.find('"') != std::string_view::npos) {
    throw_invalid("the database path '" + where.shown + "' contains a double quote; rename it");
  }
  where.file = expand_home(path);
  return where;
}

void prepare(const Location& where) {
  if (where.in_memory) return;
  const fs::path parent = fs::absolute(where.file).parent_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) {
    throw_error(kStorageError, "cannot create the directory '" + parent.string() +
                                   "' for the database '" + where.shown + "': " + ec.message());
  }
  if (fs::is_directory(where.file, ec)) {
    throw_error(kStorageError,
                "the database path '" + where.shown + "' is a directory; name a file inside it");
  }
  const bool exists = fs::exists(where.file, ec);
  const fs::path& target = exists ? where.file : parent;
  if (::access(target.c_str(), W_OK) != 0) {
    throw_error(kStorageError, "the database path '" + where.shown + "' is not writable (" +
                                   target.string() + ": " + std::generic_category().message(errno) +
                                   ")");
  }
}

namespace {

// Every connection is used by one thread at a time (TaskStore's mutex), so SQLite's own
// mutexes on each connection and statement, and its allocation statistics (a global mutex on
// every malloc), buy nothing: measured ~10 k instructions per task on the engine's hot path.
// SQLite takes this only before it is first initialised; a process that used it earlier keeps
// its serialised mode, which is slower and equally correct.
void relax_sqlite_locking() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

}  // namespace

void open_session(soci::session& sql, const Location& where) {
  relax_sqlite_locking();
  const std::string connect =
      where.in_memory ? "db=:memory:" : "db=\"" + where.file.string() + "\"";
  try {
    sql.open(*soci::factory_sqlite3(), connect);
  } catch (const soci::soci_error& e) {
    throw_error(kStorageError,
                "cannot open the SQLite database '" + where.shown + "': " + e.what());
  }
}

void configure(soci::session& sql, const Location& where, const std::string& synchronous) {
  try {
    sql << "PRAGMA busy_timeout = 5000";
    sql << "PRAGMA foreign_keys = ON";
    sql << "PRAGMA cache_size = -64000";
    // A statement that changes many rows inside a transaction keeps the pages it changed, to
    // undo itself alone; in memory rather than in a temporary file (measured: 3.5 MB written
    // to /var/tmp while a 10,000-task tree was queued).
    sql << "PRAGMA temp_store = MEMORY";
    // The page size of a new database (an existing one keeps its own). With 8 KiB pages a
    // batch's commit appends half as many log frames, and a reader reads half as many pages,
    // each one a system call: a 10,000-task fan-out took a quarter less CPU than with SQLite's
    // default 4 KiB (docs/performance.md, session 10). Set before the log is, which fixes it.
    sql << "PRAGMA page_size = 8192";
    std::string mode;
    // WAL lets readers run beside the writer and makes a FULL commit one append and one fsync.
    if (!where.in_memory) sql << "PRAGMA journal_mode = WAL", soci::into(mode);
    sql << "PRAGMA synchronous = " + synchronous;
  } catch (const soci::soci_error& e) {
    throw_error(kStorageError,
                "cannot set up the SQLite database '" + where.shown + "': " + e.what());
  }
  auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
  if (backend != nullptr && sqlite3_db_readonly(backend->conn_, "main") == 1) {
    throw_error(kStorageError, "the database '" + where.shown +
                                   "' opened read-only: make the file and its directory writable");
  }
}

void configure_reader(soci::session& sql, const Location& where) {
  try {
    sql << "PRAGMA busy_timeout = 5000";
    sql << "PRAGMA query_only = 1";
  } catch (const soci::soci_error& e) {
    throw_error(kStorageError,
                "cannot set up a reader of the SQLite database '" + where.shown + "': " + e.what());
  }
}

}  // namespace apflow::plugins::sqlite
