#include "storage/common/row_io.h"

#include "storage/common/request.h"

namespace apflow::plugins::storage {
namespace {

std::string placeholders(std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += (i == 0 ? ":c" : ", :c") + std::to_string(i);
  return out;
}

std::string update_sql() {
  std::string assignments;
  const auto& columns = task_columns();
  for (std::size_t i = kId + 1; i < kColumnCount; ++i) {
    if (!assignments.empty()) assignments += ", ";
    assignments += std::string(columns[i].name) + " = :c" + std::to_string(i);
  }
  return "UPDATE apflow_tasks SET " + assignments + " WHERE id = :id";
}

// Reads the current row's columns into the cells in `mask`, in column order.
void read_columns(Statement& st, Row& row, const ColumnMask& mask) {
  const auto& columns = task_columns();
  int col = 0;
  for (std::size_t i = 0; i < kColumnCount; ++i) {
    if (!mask.test(i)) continue;
    Cell& c = row[i];
    const Kind kind = columns[i].kind;
    if (kind != Kind::kInt && kind != Kind::kBool && kind != Kind::kReal) {
      if (const auto text = st.nullable_text(col)) {
        c.text.assign(*text);
        c.null = false;
      } else {
        c.set_null();
      }
    } else if (st.is_null(col)) {
      c.set_null();
    } else if (kind == Kind::kReal) {
      c.set_real(st.real(col));
    } else {
      c.set_integer(st.integer(col));
    }
    ++col;
  }
}

// Binds cells [first, kColumnCount) of `row`, in column order, as the parameters; the row must
// stay alive until the statement is reset.
void bind_row(Statement& st, const Row& row, std::size_t first = 0) {
  const auto& columns = task_columns();
  int slot = 0;
  for (std::size_t i = first; i < kColumnCount; ++i, ++slot) {
    const Cell& c = row[i];
    if (c.is_null()) {
      st.bind_null(slot);
      continue;
    }
    switch (columns[i].kind) {
      case Kind::kInt:
      case Kind::kBool:
        st.bind_integer(slot, c.integer);
        break;
      case Kind::kReal:
        st.bind_real(slot, c.real);
        break;
      default:
        st.bind_text(slot, c.text);
    }
  }
}

}  // namespace

RowReader::RowReader(Db& db, const std::string& query, Params params, const ColumnMask& mask)
    : params_(std::move(params)), st_(db.cache.get(query)), run_(st_), mask_(mask) {
  bind_values(st_, params_);
}

bool RowReader::next() {
  if (!run_.next()) return false;
  read_columns(st_, row_, mask_);
  return true;
}

std::vector<Row> read_all(Db& db, const std::string& query, Params params, const ColumnMask& mask) {
  std::vector<Row> rows;
  RowReader reader(db, query, std::move(params), mask);
  while (reader.next()) rows.push_back(std::move(reader.row()));
  return rows;
}

const std::string& one_row_query() {
  static const std::string query = "SELECT " + column_list() + " FROM apflow_tasks WHERE id = :id";
  return query;
}

std::vector<Row> read_rows(Db& db, const std::vector<std::string>& ids, bool lock) {
  if (ids.empty()) return {};
  if (ids.size() == 1) {
    // One id (update): a primary-key lookup costs SQLite a fraction of the IN over json_each,
    // and the text is built once, not for every call.
    return read_all(db, lock ? one_row_query() + db.dialect.lock_rows() : one_row_query(),
                    {ids.front()});
  }
  return read_all(db,
                  "SELECT " + column_list() + " FROM apflow_tasks WHERE id IN (" +
                      db.dialect.id_set(":ids") + ")" + (lock ? db.dialect.lock_rows() : ""),
                  {to_json_array(ids)});
}

RowInserter::RowInserter(Db& db)
    : st_(db.cache.get("INSERT INTO apflow_tasks (" + column_list() + ") VALUES (" +
                       placeholders(kColumnCount) + ")")) {}

void RowInserter::insert() {
  bind_row(st_, row_);
  Run run(st_);
  run.next();
}

void update_row(Db& db, const Row& row) {
  Statement& st = db.cache.get(update_sql());
  bind_row(st, row, kId + 1);
  st.bind_text(static_cast<int>(kColumnCount - kId - 1), row[kId].text);
  Run run(st);
  run.next();
}

}  // namespace apflow::plugins::storage
