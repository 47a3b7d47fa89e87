#include "storage/common/sql.h"

#include <stdexcept>

namespace apflow::plugins::storage {
namespace {

struct TextBuffers {
  Params params;
  std::vector<std::string> cells;
  std::vector<soci::indicator> inds;
};

struct IntegerBuffers {
  Params params;
  long long value = 0;
  soci::indicator ind = soci::i_ok;
};

}  // namespace

void bind_values(soci::statement& st, Params& slots) {
  for (auto& p : slots) {
    std::visit([&](auto& value) { st.exchange(soci::use(value)); }, p);
  }
}

void load_values(Params& slots, Params& values) {
  if (slots.size() != values.size()) {
    throw std::logic_error("a cached statement received another number of parameters");
  }
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].index() != values[i].index()) {
      throw std::logic_error("a cached statement received a parameter of another type");
    }
    slots[i] = std::move(values[i]);  // same alternative: assigned in place
  }
}

std::vector<TextRow> select_text(Db& db, const std::string& query, Params params,
                                 std::size_t columns) {
  auto& e = db.cache.get<TextBuffers>(query, [&](TextBuffers& b, soci::statement& st) {
    b.params = params;
    b.cells.resize(columns);
    b.inds.resize(columns);
    for (std::size_t i = 0; i < columns; ++i) st.exchange(soci::into(b.cells[i], b.inds[i]));
    bind_values(st, b.params);
  });
  load_values(e.buffers.params, params);
  e.st.execute(false);
  std::vector<TextRow> rows;
  while (e.st.fetch()) {
    TextRow row;
    row.cells_.resize(columns);
    row.nulls_.resize(columns);
    for (std::size_t i = 0; i < columns; ++i) {
      row.nulls_[i] = e.buffers.inds[i] == soci::i_null;
      if (!row.nulls_[i]) row.cells_[i] = e.buffers.cells[i];
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

long long execute(Db& db, const std::string& query, Params params) {
  auto& e = db.cache.get<Params>(query, [&](Params& slots, soci::statement& st) {
    slots = params;
    bind_values(st, slots);
  });
  load_values(e.buffers, params);
  e.st.execute(true);
  return e.st.get_affected_rows();
}

long long select_integer(Db& db, const std::string& query, Params params) {
  auto& e = db.cache.get<IntegerBuffers>(query, [&](IntegerBuffers& b, soci::statement& st) {
    b.params = params;
    st.exchange(soci::into(b.value, b.ind));
    bind_values(st, b.params);
  });
  load_values(e.buffers.params, params);
  e.st.execute(true);
  const long long value = e.buffers.ind == soci::i_null ? 0 : e.buffers.value;
  // Step to the end: a statement left on a row would hold its read transaction open.
  while (e.st.fetch()) {
  }
  return value;
}

}  // namespace apflow::plugins::storage
