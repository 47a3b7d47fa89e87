// Where a SQLite store lives and how its connection is set up: path forms, parent directories,
// writability, and the PRAGMAs that make commits durable.
#pragma once

#include <soci/soci.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace apflow::plugins::sqlite {

struct Location {
  bool in_memory = false;
  std::filesystem::path file;  // empty when in_memory
  std::string shown;           // the path as configured, for messages
};

// Accepts a file path, `sqlite:///path`, `sqlite://:memory:` or `:memory:`. Throws
// STORAGE_INVALID_REQUEST for anything else.
Location resolve(std::string_view configured);

// Creates missing parent directories and refuses a path the process cannot write, naming it
// (STORAGE_ERROR).
void prepare(const Location& where);

// Opens the database; throws STORAGE_ERROR naming the path.
void open_session(soci::session& sql, const Location& where);

// WAL, `synchronous` (FULL or NORMAL), a busy timeout for other processes' writers, foreign
// keys; then checks that SQLite did not fall back to read-only.
void configure(soci::session& sql, const Location& where, const std::string& synchronous);

// A second connection to a file database (configured by the first) for reads only: the busy
// timeout, and SQLite refuses any write on it.
void configure_reader(soci::session& sql, const Location& where);

}  // namespace apflow::plugins::sqlite
