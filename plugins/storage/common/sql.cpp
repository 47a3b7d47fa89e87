#include "storage/common/sql.h"

namespace apflow::plugins::storage {

void bind_values(Statement& st, const Params& params) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int slot = static_cast<int>(i);
    if (const auto* text = std::get_if<std::string>(&params[i])) {
      st.bind_text(slot, *text);
    } else {
      st.bind_integer(slot, std::get<long long>(params[i]));
    }
  }
}

std::vector<TextRow> select_text(Db& db, const std::string& query, const Params& params,
                                 std::size_t columns) {
  Statement& st = db.cache.get(query);
  bind_values(st, params);
  Run run(st);
  std::vector<TextRow> rows;
  while (run.next()) {
    TextRow row;
    row.cells_.resize(columns);
    row.nulls_.resize(columns);
    for (std::size_t i = 0; i < columns; ++i) {
      const auto text = st.nullable_text(static_cast<int>(i));
      row.nulls_[i] = !text;
      if (text) row.cells_[i] = *text;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

long long execute(Db& db, const std::string& query, const Params& params) {
  Statement& st = db.cache.get(query);
  bind_values(st, params);
  Run run(st);
  while (run.next()) {
  }
  return st.changes();
}

long long select_integer(Db& db, const std::string& query, const Params& params) {
  Statement& st = db.cache.get(query);
  bind_values(st, params);
  Run run(st);
  long long value = 0;
  if (run.next() && !st.is_null(0)) value = st.integer(0);
  return value;
}

void rollback_quietly(Db& db) noexcept {
  try {
    execute(db, "ROLLBACK", {});
  } catch (...) {
    // Nothing is left to undo.
  }
}

}  // namespace apflow::plugins::storage
