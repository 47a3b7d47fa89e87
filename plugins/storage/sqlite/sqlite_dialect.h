// The SQLite side of storage::Dialect: one writer at a time holds the whole database, so row
// locks are empty, and id sets are read from a bound JSON array with json_each.
#pragma once

#include "storage/common/dialect.h"

namespace apflow::plugins::sqlite {

class SqliteDialect final : public storage::Dialect {
 public:
  std::unique_ptr<storage::Connection> connect(soci::session& session) const override;
  std::string begin_write() const override { return "BEGIN IMMEDIATE"; }
  std::string begin_read() const override { return "BEGIN"; }
  std::string id_set(std::string_view param) const override;
  std::string id_rows(std::string_view param, std::string_view alias) const override;
  std::string lock_rows(std::string_view /*of*/) const override { return {}; }
  std::string skip_locked() const override { return {}; }
  void after_migrations(soci::session& sql) const override;
};

}  // namespace apflow::plugins::sqlite
