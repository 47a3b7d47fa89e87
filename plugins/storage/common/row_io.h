// Whole task rows in and out of the database. Statements are cached; a batch of n rows is n
// runs of one prepared statement.
#pragma once

#include <string>
#include <vector>

#include "storage/common/columns.h"
#include "storage/common/sql.h"

namespace apflow::plugins::storage {

// Rows from a query whose result columns are column_list("", mask) (a SELECT, or an UPDATE ...
// RETURNING). Each next() overwrites row(); move from it freely between calls. One reader per
// query text at a time.
class RowReader {
 public:
  RowReader(Db& db, const std::string& query, Params params,
            const ColumnMask& mask = all_columns());
  RowReader(const RowReader&) = delete;
  RowReader& operator=(const RowReader&) = delete;
  // The next row, copied into row().
  bool next();
  Row& row() noexcept { return row_; }
  // The next row, left in the statement (read it there before stepping again): for a reader
  // that only writes the row out.
  bool step() { return run_.next(); }
  Statement& statement() noexcept { return st_; }

 private:
  Params params_;  // bound to the statement until the run ends
  Statement& st_;
  Run run_;
  ColumnMask mask_;
  Row row_;
};

// Every row the query yields.
std::vector<Row> read_all(Db& db, const std::string& query, Params params,
                          const ColumnMask& mask = all_columns());

// "SELECT <every column> FROM apflow_tasks WHERE id = :id".
const std::string& one_row_query();

// The rows of the tasks with these ids, in no particular order; `lock` for rows the
// transaction goes on to change.
std::vector<Row> read_rows(Db& db, const std::vector<std::string>& ids, bool lock);

// Inserts whole rows: fill row(), then insert().
class RowInserter {
 public:
  explicit RowInserter(Db& db);
  Row& row() noexcept { return row_; }
  void insert();

 private:
  Statement& st_;
  Row row_;
};

// Writes every column of an existing row, found by its id.
void update_row(Db& db, const Row& row);

}  // namespace apflow::plugins::storage
