#include "storage/common/row_json.h"

#include <rapidjson/internal/dtoa.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace apflow::plugins::storage {
namespace {

// `"name":` for every column.
const std::array<std::string, kColumnCount>& name_prefixes() {
  static const auto prefixes = [] {
    std::array<std::string, kColumnCount> out;
    for (std::size_t i = 0; i < kColumnCount; ++i) {
      out[i] = "\"" + std::string(task_columns()[i].name) + "\":";
    }
    return out;
  }();
  return prefixes;
}

bool needs_escape(char c) {
  return static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\';
}

}  // namespace

void append_string(std::string& out, std::string_view text) {
  if (std::none_of(text.begin(), text.end(), needs_escape)) {
    out += '"';
    out += text;
    out += '"';
    return;
  }
  // Rare (an error message with quotes or new lines): RapidJSON's escaping, as everywhere else.
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  out.append(buffer.GetString(), buffer.GetSize());
}

namespace {

void append_integer(std::string& out, long long value) {
  char buffer[24];
  const char* end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(buffer, static_cast<std::size_t>(end - buffer));
}

// As RapidJSON's writer prints it (0.0, 0.5, 1.0), so rows read the same whichever way they
// were written.
void append_real(std::string& out, double value) {
  char buffer[32];
  const char* end = rapidjson::internal::dtoa(value, buffer);
  out.append(buffer, static_cast<std::size_t>(end - buffer));
}

// The members of the columns in `mask`, each value read from `cells` by its column position.
template <typename Cells>
void append_members(std::string& out, Cells& cells, const ColumnMask& mask, Nulls nulls) {
  const auto& columns = task_columns();
  const auto& prefixes = name_prefixes();
  bool first = true;
  for (std::size_t i = 0; i < kColumnCount; ++i) {
    if (!mask.test(i)) continue;
    const Kind kind = columns[i].kind;
    const bool textual = kind == Kind::kText || kind == Kind::kJson || kind == Kind::kJsonArray;
    const auto text = textual ? cells.nullable_text(i) : std::nullopt;
    const bool null = textual ? !text : cells.is_null(i);
    if (null && nulls == Nulls::kLeftOut) continue;
    if (!first) out += ',';
    first = false;
    out += prefixes[i];
    if (null) {
      out += "null";
    } else if (kind == Kind::kText) {
      append_string(out, *text);
    } else if (textual) {
      out += *text;  // JSON text the store wrote itself
    } else if (kind == Kind::kReal) {
      append_real(out, cells.real(i));
    } else if (kind == Kind::kBool) {
      out += cells.integer(i) != 0 ? "true" : "false";
    } else {
      append_integer(out, cells.integer(i));
    }
  }
}

struct RowCells {
  const Row& row;
  bool is_null(std::size_t i) const { return row[i].is_null(); }
  std::optional<std::string_view> nullable_text(std::size_t i) const {
    if (row[i].is_null()) return std::nullopt;
    return row[i].text;
  }
  long long integer(std::size_t i) const { return row[i].integer; }
  double real(std::size_t i) const { return row[i].real; }
};

// A statement's current row, whose result columns are column_list("", columns).
struct StatementCells {
  StatementCells(Statement& statement, const ColumnMask& columns)
      : st(statement), slots(column_slots(columns)) {}
  bool is_null(std::size_t i) const { return st.is_null(slots[i]); }
  std::optional<std::string_view> nullable_text(std::size_t i) const {
    return st.nullable_text(slots[i]);
  }
  long long integer(std::size_t i) const { return st.integer(slots[i]); }
  double real(std::size_t i) const { return st.real(slots[i]); }

  Statement& st;
  std::array<int, kColumnCount> slots;
};

void write_object(JsonOut& out, auto cells, const ColumnMask& mask) {
  std::string text;
  text.reserve(1024);
  text += '{';
  append_members(text, cells, mask, Nulls::kWritten);
  text += '}';
  out.raw(text);
}

}  // namespace

void append_fields(std::string& out, const Row& row, const ColumnMask& mask, Nulls nulls) {
  RowCells cells{row};
  append_members(out, cells, mask, nulls);
}

void append_fields(std::string& out, Statement& st, const ColumnMask& fields,
                   const ColumnMask& columns, Nulls nulls) {
  StatementCells cells(st, columns);
  append_members(out, cells, fields, nulls);
}

void write_row(JsonOut& out, Statement& st, const ColumnMask& mask) {
  write_object(out, StatementCells(st, mask), mask);
}

void write_row(JsonOut& out, const Row& row, const ColumnMask& mask) {
  write_object(out, RowCells{row}, mask);
}

}  // namespace apflow::plugins::storage
