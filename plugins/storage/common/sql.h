// What every operation works on (Db), and helpers for its set-based statements: typed
// parameters bound to cached statements, and results read back as text.
#pragma once

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include "storage/common/dialect.h"
#include "storage/common/statement_cache.h"

namespace apflow::plugins::storage {

// The dialect and the prepared statements of a store, inside an open transaction.
struct Db {
  const Dialect& dialect;
  StatementCache& cache;
};

using Param = std::variant<std::string, long long>;
using Params = std::vector<Param>;

// Binds `params` in order; they must stay alive until the statement is reset.
void bind_values(Statement& st, const Params& params);

// One result row, every column as text; NULL columns read as "" with null(i) true.
class TextRow {
 public:
  const std::string& operator[](std::size_t i) const { return cells_[i]; }
  bool null(std::size_t i) const { return nulls_[i]; }
  long long integer(std::size_t i) const { return nulls_[i] ? 0 : std::stoll(cells_[i]); }

 private:
  friend std::vector<TextRow> select_text(Db&, const std::string&, const Params&, std::size_t);
  std::vector<std::string> cells_;
  std::vector<bool> nulls_;
};

// Runs a query whose placeholders take `params` in order and returns its rows.
std::vector<TextRow> select_text(Db& db, const std::string& query, const Params& params,
                                 std::size_t columns);

// Runs a statement and returns how many rows it changed.
long long execute(Db& db, const std::string& query, const Params& params);

// The single integer a query like SELECT COUNT(*) returns.
long long select_integer(Db& db, const std::string& query, const Params& params);

// Undoes the open transaction of `db`. One already gone (a failed COMMIT ends it) leaves
// nothing to undo, so a failure here is not reported.
void rollback_quietly(Db& db) noexcept;

}  // namespace apflow::plugins::storage
