#include "storage/common/row_io.h"

#include "storage/common/request.h"

namespace apflow::plugins::storage {
namespace {

struct ReadBuffers {
  Params params;
  Row row;
};

std::string placeholders(std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += (i == 0 ? ":c" : ", :c") + std::to_string(i);
  return out;
}

struct RowBuffers {
  Row row;
};

std::string update_sql() {
  std::string assignments;
  const auto& columns = task_columns();
  for (std::size_t i = kId + 1; i < kColumnCount; ++i) {
    if (!assignments.empty()) assignments += ", ";
    assignments += std::string(columns[i].name) + " = :c" + std::to_string(i);
  }
  return "UPDATE apflow_tasks SET " + assignments + " WHERE id = :id";
}

}  // namespace

void bind_params(soci::statement& st, Row& row, std::size_t first) {
  const auto& columns = task_columns();
  for (std::size_t i = first; i < kColumnCount; ++i) {
    Cell& c = row[i];
    switch (columns[i].kind) {
      case Kind::kInt:
      case Kind::kBool:
        st.exchange(soci::use(c.integer, c.ind));
        break;
      case Kind::kReal:
        st.exchange(soci::use(c.real, c.ind));
        break;
      default:
        st.exchange(soci::use(c.text, c.ind));
    }
  }
}

void bind_results(soci::statement& st, Row& row, const ColumnMask& mask) {
  const auto& columns = task_columns();
  for (std::size_t i = 0; i < kColumnCount; ++i) {
    if (!mask.test(i)) continue;
    Cell& c = row[i];
    switch (columns[i].kind) {
      case Kind::kInt:
      case Kind::kBool:
        st.exchange(soci::into(c.integer, c.ind));
        break;
      case Kind::kReal:
        st.exchange(soci::into(c.real, c.ind));
        break;
      default:
        st.exchange(soci::into(c.text, c.ind));
    }
  }
}

RowReader::RowReader(Db& db, const std::string& query, Params params, const ColumnMask& mask) {
  auto& e = db.cache.get<ReadBuffers>(query, [&](ReadBuffers& b, soci::statement& st) {
    b.params = params;
    bind_results(st, b.row, mask);
    bind_values(st, b.params);
  });
  load_values(e.buffers.params, params);
  e.st.execute(false);
  row_ = &e.buffers.row;
  st_ = &e.st;
}

std::vector<Row> read_all(Db& db, const std::string& query, Params params, const ColumnMask& mask) {
  std::vector<Row> rows;
  RowReader reader(db, query, std::move(params), mask);
  while (reader.next()) rows.push_back(std::move(reader.row()));
  return rows;
}

std::vector<Row> read_rows(Db& db, const std::vector<std::string>& ids, bool lock) {
  if (ids.empty()) return {};
  if (ids.size() == 1) {
    // One id (apflow.task.get, update): a primary-key lookup costs SQLite a fraction of the
    // IN over json_each, and the text is built once, not for every call.
    static const std::string kOneRow =
        "SELECT " + column_list() + " FROM apflow_tasks WHERE id = :id";
    return read_all(db, lock ? kOneRow + db.dialect.lock_rows() : kOneRow, {ids.front()});
  }
  return read_all(db,
                  "SELECT " + column_list() + " FROM apflow_tasks WHERE id IN (" +
                      db.dialect.id_set(":ids") + ")" + (lock ? db.dialect.lock_rows() : ""),
                  {to_json_array(ids)});
}

RowInserter::RowInserter(Db& db) {
  auto& e =
      db.cache.get<RowBuffers>("INSERT INTO apflow_tasks (" + column_list() + ") VALUES (" +
                                   placeholders(kColumnCount) + ")",
                               [](RowBuffers& b, soci::statement& st) { bind_params(st, b.row); });
  row_ = &e.buffers.row;
  st_ = &e.st;
}

void update_row(Db& db, const Row& row) {
  auto& e = db.cache.get<RowBuffers>(update_sql(), [](RowBuffers& b, soci::statement& st) {
    bind_params(st, b.row, kId + 1);
    st.exchange(soci::use(b.row[kId].text));
  });
  e.buffers.row = row;
  e.st.execute(true);
}

}  // namespace apflow::plugins::storage
