// A task row as the JSON object of docs/storage.md, written straight into text: field names are
// fixed and most values need no escaping, so a row costs a fraction of RapidJSON's writer
// (measured: ~17 k instructions for a 48-field row through the writer, which escapes every
// name byte by byte).
#pragma once

#include <string>

#include "storage/common/columns.h"
#include "storage/common/json_out.h"
#include "storage/common/statement.h"

namespace apflow::plugins::storage {

// Appends `text` as a JSON string.
void append_string(std::string& out, std::string_view text);

// Whether a row's null fields are written (`"name":null`) or left out (a claimed row: the
// engine reads an absent field as null, and a claim of a thousand rows parses faster).
enum class Nulls { kWritten, kLeftOut };

// Appends the row's fields in `mask` as `"name":value` members, comma-separated, no braces.
void append_fields(std::string& out, const Row& row, const ColumnMask& mask = all_columns(),
                   Nulls nulls = Nulls::kWritten);

// The fields in `fields`, from the current row of a statement whose result columns are
// column_list("", columns) (`columns` includes `fields`).
void append_fields(std::string& out, Statement& st, const ColumnMask& fields,
                   const ColumnMask& columns, Nulls nulls = Nulls::kWritten);

// Writes the row's fields in `mask` as one JSON object value.
void write_row(JsonOut& out, const Row& row, const ColumnMask& mask = all_columns());
// The same, from the current row of a statement whose result columns are column_list("", mask):
// no copy of the row on the way.
void write_row(JsonOut& out, Statement& st, const ColumnMask& mask = all_columns());

}  // namespace apflow::plugins::storage
