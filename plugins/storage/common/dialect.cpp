#include "storage/common/dialect.h"

#include "storage/common/sql.h"

namespace apflow::plugins::storage {

long long Dialect::reserve_seq(Db& db, long long count) const {
  execute(db, "UPDATE apflow_counters SET value = value + :n WHERE name = 'task_seq'", {count});
  return select_integer(db, "SELECT value FROM apflow_counters WHERE name = 'task_seq'", {}) -
         count + 1;
}

}  // namespace apflow::plugins::storage
