// Whole task rows in and out of the database. Statements are cached and bound to the cells of
// one Row buffer, so a batch of n rows is n executions of one prepared statement.
#pragma once

#include <soci/soci.h>

#include <string>
#include <vector>

#include "storage/common/columns.h"
#include "storage/common/sql.h"

namespace apflow::plugins::storage {

// Binds cells [first, kColumnCount) of `row`, in column order, as parameters or as results.
void bind_params(soci::statement& st, Row& row, std::size_t first = 0);
// Results bind only the cells in `mask`; the others stay null.
void bind_results(soci::statement& st, Row& row, const ColumnMask& mask = all_columns());

// Rows from a query whose result columns are column_list("", mask) (a SELECT, or an UPDATE ...
// RETURNING). Each next() overwrites row(); move from it freely between calls. One reader per
// query text at a time.
class RowReader {
 public:
  RowReader(Db& db, const std::string& query, Params params,
            const ColumnMask& mask = all_columns());
  RowReader(const RowReader&) = delete;
  RowReader& operator=(const RowReader&) = delete;
  bool next() { return st_->fetch(); }
  Row& row() noexcept { return *row_; }

 private:
  Row* row_ = nullptr;
  soci::statement* st_ = nullptr;
};

// Every row the query yields.
std::vector<Row> read_all(Db& db, const std::string& query, Params params,
                          const ColumnMask& mask = all_columns());

// The rows of the tasks with these ids, in no particular order; `lock` for rows the
// transaction goes on to change.
std::vector<Row> read_rows(Db& db, const std::vector<std::string>& ids, bool lock);

// Inserts whole rows: fill row(), then insert().
class RowInserter {
 public:
  explicit RowInserter(Db& db);
  Row& row() noexcept { return *row_; }
  void insert() { st_->execute(true); }

 private:
  Row* row_ = nullptr;
  soci::statement* st_ = nullptr;
};

// Writes every column of an existing row, found by its id.
void update_row(Db& db, const Row& row);

}  // namespace apflow::plugins::storage
