// Statement and Connection: how the operations' shared SQL runs on a backend's database. A
// backend implements them on its database's own client library (SQLite: sqlite3_stmt); SOCI
// opens the session and migrates the schema. Binding and reading through SOCI's generic layer
// cost more than SQLite's own work on the hot paths (measured: a 48-column row read ~20 k
// instructions in SOCI against ~18 k in SQLite), so every statement of an operation runs here.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace apflow::plugins::storage {

// A failure the database reported, with its message.
class DbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One prepared statement. Parameters are bound by position (0-based), in the order their names
// first appear in the text: a name used twice is one parameter.
class Statement {
 public:
  virtual ~Statement() = default;

  // A bound text must stay alive and unchanged until reset().
  virtual void bind_null(int i) = 0;
  virtual void bind_text(int i, std::string_view value) = 0;
  virtual void bind_integer(int i, long long value) = 0;
  virtual void bind_real(int i, double value) = 0;

  // Runs the statement, or moves on to its next row: true while a row is available.
  virtual bool step() = 0;
  // Ends the run and clears the bindings: ready to be bound and run again.
  virtual void reset() noexcept = 0;

  // Columns of the current row (0-based). A text is valid until the next step() or reset().
  virtual bool is_null(int col) = 0;
  virtual std::string_view text(int col) = 0;
  // The text, or nothing when the column is NULL: one look at the column instead of two.
  virtual std::optional<std::string_view> nullable_text(int col) = 0;
  virtual long long integer(int col) = 0;
  virtual double real(int col) = 0;

  // Rows the last INSERT, UPDATE or DELETE changed.
  virtual long long changes() = 0;
};

// The open database the statements run on.
class Connection {
 public:
  virtual ~Connection() = default;
  // Throws DbError when the text does not compile.
  virtual std::unique_ptr<Statement> prepare(const std::string& sql) = 0;
};

}  // namespace apflow::plugins::storage
