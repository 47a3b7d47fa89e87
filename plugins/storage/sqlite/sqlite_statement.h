// The SQLite side of storage::Connection: statements prepared on the connection SOCI opened,
// run through SQLite's own API (sqlite3_stmt).
#pragma once

#include <soci/soci.h>

#include <memory>
#include <string>

#include "storage/common/statement.h"

// SOCI declares SQLite's API in this namespace.
namespace sqlite_api {
struct sqlite3;
}  // namespace sqlite_api

namespace apflow::plugins::sqlite {

class SqliteConnection final : public storage::Connection {
 public:
  // The session must stay open while this connection and its statements live.
  explicit SqliteConnection(soci::session& session);
  std::unique_ptr<storage::Statement> prepare(const std::string& sql) override;

 private:
  sqlite_api::sqlite3* db_;
};

}  // namespace apflow::plugins::sqlite
